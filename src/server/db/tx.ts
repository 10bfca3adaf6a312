/**
 * The one way this app opens a transaction. Given the row it will lock (`lockKey`), it
 * first takes that row's turn in the pool's lock queue (./lock-queue.ts: waiting requests
 * wait in memory, not on pooled connections); when that wait spent part of the lock budget
 * it sets `lock_timeout` to what is left (a turn that came at once has the whole budget,
 * which is the connection's own `lock_timeout`: no statement needed), so a request waits a
 * bounded time in all; and it retries the whole
 * callback (a bounded number of times, after a jittered wait) on serialization failures
 * and deadlocks, the two errors PostgreSQL asks the client to retry. Keep callbacks short
 * and free of slow calls: a lock taken inside is held until the callback returns.
 * See docs/patterns/welcome-reset.md.
 */
import { setTimeout as delay } from "node:timers/promises";

import { sql, type SQL } from "drizzle-orm";

import { env } from "~/env";
import { lockQueueOf, type Database } from "./index";
import { isConnectionLost, isRetryableTransactionError } from "./errors";

export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** Either handle; for helpers that are correct with or without a surrounding transaction. */
export type Executor = Database | Transaction;

/**
 * The rows a raw statement answers, typed, whichever driver runs it: postgres.js answers
 * `execute()` with an array of rows, node-postgres with a result object holding `rows`.
 */
export async function queryRows<T>(executor: Executor, query: SQL): Promise<T[]> {
  const result: unknown = await executor.execute(query);
  return (Array.isArray(result) ? result : ((result as { rows?: unknown[] }).rows ?? [])) as T[];
}

export interface TransactionOptions {
  /**
   * The row this transaction locks first, e.g. `projects:<id>`: requests for the same row
   * take turns in memory (at most two at the database at once). Without it the transaction
   * still counts against the pool's share for lock work.
   */
  lockKey?: string;
  /** How long the request may wait for its turn and a lock, in all, before failing with 55P03. */
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

const RECONNECT_RETRY_BASE_MS = 50;

/**
 * Runs a statement that is safe to run twice (an idempotent, fenced status update), again on
 * a fresh connection if its connection was lost: when every connection of the pool drops at
 * once (a restart, a failover), the first statements after it are written to sockets the
 * driver has not yet seen close, and fail although the server answers again at once. At most
 * `attempts` tries, after 50, 100, 200 … ms (jittered). Never for a transaction's
 * statements: a transaction's work is gone with its connection.
 */
export async function retryOnConnectionLoss<T>(statement: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await statement();
    } catch (error) {
      if (attempt >= attempts || !isConnectionLost(error)) throw error;
      await delay(RECONNECT_RETRY_BASE_MS * 2 ** (attempt - 1) * (0.5 + Math.random() / 2));
    }
  }
}

export async function withTransaction<T>(
  db: Database,
  callback: (tx: Transaction) => Promise<T>,
  { lockKey, lockTimeoutMs = env.DATABASE_LOCK_TIMEOUT_MS, maxAttempts = 3 }: TransactionOptions = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const turn = await lockQueueOf(db).take(lockKey, lockTimeoutMs);
    try {
      return await db.transaction(async (tx) => {
        if (!turn.immediate || lockTimeoutMs !== env.DATABASE_LOCK_TIMEOUT_MS) {
          await tx.execute(sql`select set_config('lock_timeout', ${`${turn.remainingMs}ms`}, true)`);
        }
        return callback(tx);
      });
    } catch (error) {
      if (attempt >= maxAttempts || !isRetryableTransactionError(error)) throw error;
    } finally {
      turn.release();
    }
    await delay(retryDelayMs(attempt));
  }
}

/**
 * One statement outside a transaction that may wait for a row lock (an optimistic
 * `UPDATE … WHERE version = …`): it takes `lockKey`'s turn like a transaction does, and
 * the connection's own `lock_timeout` bounds its wait at the database.
 */
export async function withLockTurn<T>(db: Database, lockKey: string, statement: () => Promise<T>): Promise<T> {
  const turn = await lockQueueOf(db).take(lockKey, env.DATABASE_LOCK_TIMEOUT_MS);
  try {
    return await statement();
  } finally {
    turn.release();
  }
}
