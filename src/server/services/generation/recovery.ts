import { and, eq, sql } from "drizzle-orm";

import { env } from "~/env";
import type { Database } from "~/server/db";
import { isConnectionLost } from "~/server/db/errors";
import { messages, type Message } from "~/server/db/schema";
import { retryOnConnectionLoss, type Executor } from "~/server/db/tx";
import { processSingleton } from "~/server/process-singleton";
import { failExchange, interrupted, leaseLive, unfinished } from "./exchange";

/**
 * Exchanges hold a lease: the generating process touches the assistant message's
 * `updated_at` while it works. One whose lease ran out (the server was killed mid-way) is
 * interrupted: the chat shows it so at once, with a Retry (computed in its read, ./chat.ts,
 * which writes nothing), and the next claim on the project records it, under the project's
 * lock (`expireAbandonedExchanges`, called by ./claim.ts). See docs/reliability.md.
 */
export const INTERRUPTED_REPLY = "This reply was interrupted before it finished (the server stopped). Retry to run it again.";

export async function expireAbandonedExchanges(executor: Executor, projectId: string) {
  await executor
    .update(messages)
    .set({ status: "error", content: INTERRUPTED_REPLY, error: INTERRUPTED_REPLY })
    .where(and(eq(messages.projectId, projectId), interrupted));
}

/**
 * Renews the lease every third of its length until the returned function is called. The
 * lease is written and expired with ONE clock, the database's `now()` (never the app's:
 * a skewed app clock would expire a live exchange or keep a dead one), and only for the
 * run's own attempt: a run whose reply was expired and retried renews nothing.
 */
export function holdExchangeLease(db: Database, assistantMessageId: string, attempt: number): () => void {
  const timer = setInterval(() => {
    db.update(messages)
      .set({ updatedAt: sql`now()` })
      // Not once the lease has run out: the chat shows that reply interrupted already.
      .where(and(eq(messages.id, assistantMessageId), eq(messages.attempt, attempt), unfinished, leaseLive))
      .catch((error: unknown) => console.error(`[generation] lease renewal for ${assistantMessageId} failed`, error));
  }, env.EXCHANGE_LEASE_MS / 3);
  timer.unref();
  return () => clearInterval(timer);
}

interface UnrecordedFailure {
  attempt: number;
  reason: string;
  /** After this the lease has run out anyway, and expiry marks the reply failed. */
  giveUpAt: number;
}

/** Replies this process's runs failed but could not mark failed yet (the database was unreachable). */
const unrecorded = processSingleton("race-safe.generation.unrecorded-failures", () => new Map<string, UnrecordedFailure>());

const BACKGROUND_RETRY_CAP_MS = 1000;

/**
 * True when the reply, at this attempt, was abandoned by a run of this process that could
 * not record its failure: not in flight, though the database still says `building`.
 */
export function isAbandonedHere(reply: Pick<Message, "id" | "attempt">) {
  return unrecorded.get(reply.id)?.attempt === reply.attempt;
}

/**
 * Marks a run's reply failed, surviving the connection loss it may be reporting: retried at
 * once on a fresh connection (bounded), and if the database stays unreachable, kept by this
 * process and retried in the background, at most a second apart, until it lands or the
 * lease has run out (then expiry does it). Meanwhile `isAbandonedHere` tells a claim in this
 * process that the reply is not in flight. Resolves to the failed reply, `undefined` when
 * it was not this run's to fail, or `"later"` when it is left to the background.
 */
export async function recordFailure(
  db: Database,
  assistantMessageId: string,
  reason: string,
  attempt: number,
): Promise<Message | undefined | "later"> {
  try {
    return await retryOnConnectionLoss(() => failExchange(db, assistantMessageId, reason, attempt));
  } catch (error) {
    if (!isConnectionLost(error)) throw error;
    const failure = { attempt, reason, giveUpAt: Date.now() + env.EXCHANGE_LEASE_MS };
    unrecorded.set(assistantMessageId, failure);
    retryInBackground(db, assistantMessageId, failure, 1);
    return "later";
  }
}

function retryInBackground(db: Database, assistantMessageId: string, failure: UnrecordedFailure, round: number) {
  const timer = setTimeout(() => {
    if (unrecorded.get(assistantMessageId) !== failure) return;
    failExchange(db, assistantMessageId, failure.reason, failure.attempt).then(
      () => unrecorded.delete(assistantMessageId),
      (error: unknown) => {
        if (isConnectionLost(error) && Date.now() < failure.giveUpAt) {
          retryInBackground(db, assistantMessageId, failure, round + 1);
        } else {
          unrecorded.delete(assistantMessageId);
          console.error(`[generation] gave up marking ${assistantMessageId} as failed; its lease will expire`, error);
        }
      },
    );
  }, Math.min(BACKGROUND_RETRY_CAP_MS, 50 * 2 ** round));
  timer.unref();
}
