import { and, eq, sql } from "drizzle-orm";

import type { Database } from "~/server/db";
import { fromJsonRow } from "~/server/db/json-rows";
import { messages } from "~/server/db/schema";
import { queryRows, withLockTurn, withTransaction, type Executor, type Transaction } from "~/server/db/tx";
import { DomainError, notFound } from "~/server/services/errors";
import { lockProject, projectLockKey } from "~/server/services/projects";
import { interrupted, isUnfinished, type Exchange } from "./exchange";
import { expireAbandonedExchanges, INTERRUPTED_REPLY, isAbandonedHere } from "./recovery";

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
 * Step 1 of a generation, ONE statement: reserve the project's next two message numbers by
 * incrementing its counter (the UPDATE locks the project row, so claims and applies of one
 * project take turns), record any reply whose lease ran out as interrupted, and insert the
 * user message under its requestId and a pending reply. A repeated requestId inserts
 * nothing and gets the exchange it already has (under the lock, in a short transaction) if
 * the prompt is the same; with another prompt it is refused (UNPROCESSABLE_CONTENT).
 */
export async function claimExchange(db: Database, request: GenerationRequest): Promise<Claim> {
  const lockKey = projectLockKey(request.projectId);
  const claimed = await withLockTurn(db, lockKey, () => insertExchange(db, request));
  if (claimed) return claimed;
  return withTransaction(db, (tx) => resumeUnderLock(tx, request), { lockKey });
}

/** The claim, for a caller that already opened the transaction. */
export async function claimInTransaction(tx: Transaction, request: GenerationRequest): Promise<Claim> {
  return (await insertExchange(tx, request)) ?? resumeUnderLock(tx, request);
}

interface ClaimRow {
  found: boolean;
  user_message: Record<string, unknown> | null;
  reply: Record<string, unknown> | null;
}

/**
 * The claim statement. Its CTEs share one snapshot, so nothing it writes is decided from a
 * read of another table: the numbers come from the row the UPDATE locked (READ COMMITTED
 * hands an UPDATE that row's latest version), and `ON CONFLICT` decides the requestId.
 * Answers undefined when it inserted nothing: the requestId has an exchange already.
 */
async function insertExchange(executor: Executor, { userId, projectId, prompt, requestId }: GenerationRequest) {
  const [row] = await queryRows<ClaimRow>(
    executor,
    sql`
      with reserved as (
        update projects
        set next_message_sequence = next_message_sequence + 2
        where id = ${projectId}::uuid and owner_id = ${userId}::uuid
          and not exists (select 1 from messages where project_id = ${projectId}::uuid and request_id = ${requestId}::uuid)
        returning id, next_message_sequence - 2 as sequence
      ),
      expired as (
        update messages
        set status = 'error', content = ${INTERRUPTED_REPLY}, error = ${INTERRUPTED_REPLY}, updated_at = now()
        where project_id = (select id from reserved) and ${interrupted}
      ),
      user_message as (
        insert into messages (project_id, role, content, status, request_id, sequence)
        select id, 'user', ${prompt}, 'success', ${requestId}::uuid, sequence from reserved
        on conflict (project_id, request_id) do nothing
        returning *
      ),
      reply as (
        insert into messages (project_id, role, content, status, sequence, reply_to_id)
        select project_id, 'assistant', '', 'pending', sequence + 1, id from user_message
        returning *
      )
      select exists (select 1 from projects where id = ${projectId}::uuid and owner_id = ${userId}::uuid) as found,
             (select to_jsonb(user_message) from user_message) as user_message,
             (select to_jsonb(reply) from reply) as reply`,
  );
  if (!row?.found) throw notFound("Project");
  if (!row.user_message || !row.reply) return undefined;
  return {
    status: "new",
    userMessage: fromJsonRow(messages, row.user_message),
    assistantMessage: fromJsonRow(messages, row.reply),
  } satisfies Claim;
}

async function resumeUnderLock(tx: Transaction, request: GenerationRequest): Promise<Claim> {
  await lockProject(tx, request.userId, request.projectId);
  await expireAbandonedExchanges(tx, request.projectId);
  return resumeExchange(tx, request);
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
