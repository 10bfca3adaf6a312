import { and, eq, sql } from "drizzle-orm";

import type { Database } from "~/server/db";
import { messages } from "~/server/db/schema";
import { withTransaction, type Transaction } from "~/server/db/tx";
import { DomainError } from "~/server/services/errors";
import { lockProject, projectLockKey } from "~/server/services/projects";
import { isUnfinished, type Exchange } from "./exchange";
import { expireAbandonedExchanges, isAbandonedHere } from "./recovery";

export interface GenerationRequest {
  userId: string;
  projectId: string;
  prompt: string;
  requestId: string;
}

/**
 * `new`: generate. `retry`: a failed exchange is ours to run again (at the next attempt).
 * `in-flight`: another request is making this exchange now; do nothing. `finished`: the
 * exchange is done; do nothing.
 */
export type Claim = Exchange & { status: "new" | "retry" | "in-flight" | "finished" };

/** A requestId names one composed message: reusing it for another prompt is refused (HTTP 422). */
export const REQUEST_ID_REUSED =
  "This requestId was already used for another prompt. Send a new prompt with a new requestId.";

/**
 * Step 1 of a generation, a short transaction under the project lock: record the user
 * message under its requestId and a pending assistant reply, with the next sequences.
 * A repeated requestId gets the exchange it already has instead of a second one, if the
 * prompt is the same; with another prompt it is refused (UNPROCESSABLE_CONTENT).
 */
export function claimExchange(db: Database, request: GenerationRequest): Promise<Claim> {
  return withTransaction(db, (tx) => claimInTransaction(tx, request), { lockKey: projectLockKey(request.projectId) });
}

/** The claim's statements, for a caller that already opened the transaction. */
export async function claimInTransaction(tx: Transaction, request: GenerationRequest): Promise<Claim> {
  const { userId, projectId, prompt, requestId } = request;
  await lockProject(tx, userId, projectId);
  await expireAbandonedExchanges(tx, projectId);
  const sequence = await nextSequence(tx, projectId);
  const [userMessage] = await tx
    .insert(messages)
    .values({ projectId, role: "user", content: prompt, status: "success", requestId, sequence })
    .onConflictDoNothing({ target: [messages.projectId, messages.requestId] })
    .returning();
  if (!userMessage) return resumeExchange(tx, request);

  const [assistantMessage] = await tx
    .insert(messages)
    .values({
      projectId,
      role: "assistant",
      content: "",
      status: "pending",
      sequence: sequence + 1,
      replyToId: userMessage.id,
    })
    .returning();
  if (!assistantMessage) throw new Error("insert into messages returned no row");
  return { status: "new", userMessage, assistantMessage };
}

async function nextSequence(tx: Transaction, projectId: string) {
  const [row] = await tx
    .select({ next: sql<number>`coalesce(max(${messages.sequence}), -1) + 1` })
    .from(messages)
    .where(eq(messages.projectId, projectId));
  return Number(row?.next ?? 0);
}

async function resumeExchange(tx: Transaction, { projectId, prompt, requestId }: GenerationRequest): Promise<Claim> {
  const [userMessage] = await tx
    .select()
    .from(messages)
    .where(and(eq(messages.projectId, projectId), eq(messages.requestId, requestId)));
  const [assistantMessage] = userMessage
    ? await tx.select().from(messages).where(eq(messages.replyToId, userMessage.id))
    : [];
  if (!userMessage || !assistantMessage) throw new Error(`exchange for request ${requestId} is incomplete`);
  // Like an Idempotency-Key reused with another payload: never answer it with the old exchange.
  if (userMessage.content !== prompt) throw new DomainError("request-id-reused", REQUEST_ID_REUSED);

  // Unfinished is in flight, unless a run of this process abandoned it without being able to
  // record that (the database was unreachable): then it is as good as failed.
  if (isUnfinished(assistantMessage) && !isAbandonedHere(assistantMessage)) {
    return { status: "in-flight", userMessage, assistantMessage };
  }
  if (assistantMessage.status === "success") return { status: "finished", userMessage, assistantMessage };
  // The next attempt: the run that held the previous one (a late original) can no longer
  // mark, renew, complete or fail this reply.
  const [retried] = await tx
    .update(messages)
    .set({ status: "pending", content: "", error: null, attempt: sql`${messages.attempt} + 1` })
    .where(eq(messages.id, assistantMessage.id))
    .returning();
  return { status: "retry", userMessage, assistantMessage: retried ?? assistantMessage };
}
