/**
 * The one way this app opens a transaction. It sets `lock_timeout` so a request waits
 * a bounded time for a row lock, and retries the whole callback (a bounded number of
 * times, after a jittered wait) on serialization failures and deadlocks, the two errors
 * PostgreSQL asks the client to retry. Keep callbacks short and free of slow calls: a lock taken inside
 * is held until the callback returns. See docs/patterns/welcome-reset.md.
 */
import { setTimeout as delay } from "node:timers/promises";

import { sql } from "drizzle-orm";

import { env } from "~/env";
import type { Database } from "./index";
import { isRetryableTransactionError } from "./errors";

export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** Either handle; for helpers that are correct with or without a surrounding transaction. */
export type Executor = Database | Transaction;

export interface TransactionOptions {
  /** How long a statement may wait for a lock before failing with 55P03. */
  lockTimeoutMs?: number;
  /** Attempts in total for 40001/40P01 before the error is surfaced. */
  maxAttempts?: number;
}

const RETRY_BASE_MS = 10;
const RETRY_CAP_MS = 200;

/**
 * How long to wait before retry number `attempt` (1, 2, …): "full jitter", a random time
 * below a ceiling that doubles each attempt. Two requests that just deadlocked or failed
 * to serialize against each other would collide again if both retried at once.
 */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** (attempt - 1)));
}

export async function withTransaction<T>(
  db: Database,
  callback: (tx: Transaction) => Promise<T>,
  { lockTimeoutMs = env.DATABASE_LOCK_TIMEOUT_MS, maxAttempts = 3 }: TransactionOptions = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(async (tx) => {
        await tx.execute(sql`select set_config('lock_timeout', ${`${lockTimeoutMs}ms`}, true)`);
        return callback(tx);
      });
    } catch (error) {
      if (attempt >= maxAttempts || !isRetryableTransactionError(error)) throw error;
      await delay(retryDelayMs(attempt));
    }
  }
}
