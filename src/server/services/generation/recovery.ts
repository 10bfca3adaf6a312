import { and, eq, lt, sql } from "drizzle-orm";

import { env } from "~/env";
import type { Database } from "~/server/db";
import { messages } from "~/server/db/schema";
import type { Executor } from "~/server/db/tx";
import { unfinished } from "./exchange";

/**
 * Exchanges hold a lease: the generating process touches the assistant message's
 * `updated_at` while it works. One whose lease ran out (the server was killed mid-way)
 * is marked failed, with a Retry, the next time the project's chat is read or claimed.
 * See docs/reliability.md.
 */
export const INTERRUPTED_REPLY = "This reply was interrupted before it finished (the server stopped). Retry to run it again.";

export async function expireAbandonedExchanges(executor: Executor, projectId: string) {
  await executor
    .update(messages)
    .set({ status: "error", content: INTERRUPTED_REPLY, error: INTERRUPTED_REPLY })
    .where(
      and(
        eq(messages.projectId, projectId),
        unfinished,
        lt(messages.updatedAt, sql`now() - make_interval(secs => ${env.EXCHANGE_LEASE_MS / 1000})`),
      ),
    );
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
      .where(and(eq(messages.id, assistantMessageId), eq(messages.attempt, attempt), unfinished))
      .catch((error: unknown) => console.error(`[generation] lease renewal for ${assistantMessageId} failed`, error));
  }, env.EXCHANGE_LEASE_MS / 3);
  timer.unref();
  return () => clearInterval(timer);
}
