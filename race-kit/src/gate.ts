/**
 * The row-lock gate: a transaction on its own connection that takes a row lock
 * (`SELECT … FOR UPDATE`) and keeps it until the schedule says so.
 *
 * Why it exists: to prove that requests really contend for a lock, a test must get
 * them all queued behind it before any of them has it. The gate holds the lock, the
 * requests run up to it, `waitUntilBlocked(n)` asks the server (pg_blocking_pids) until
 * n backends wait behind the gate, directly or behind another waiter, and `release()`
 * commits, so they race for the lock from the same starting line. Nothing here knows
 * the app's tables: the row is named by table, key column and value, or by a statement.
 */
import { setTimeout as delay } from "node:timers/promises";

import postgres from "postgres";

/** `FOR UPDATE` and its weaker siblings. */
export type RowLockStrength = "update" | "no key update" | "share" | "key share";

export type GateLock =
  /** `select 1 from <table> where <column> = <value> for <strength>`. */
  | { table: string; column: string; value: string | number; strength?: RowLockStrength }
  /** Any statement that takes the locks the gate should hold, e.g. `lock table t in exclusive mode`. */
  | { sql: string; params?: readonly (string | number | boolean | null)[] };

export interface RowLockGateOptions {
  /** A PostgreSQL connection URL; the gate opens its own two connections. */
  url: string;
  lock: GateLock;
  /** Shown in pg_stat_activity. Default "race-kit-gate". */
  applicationName?: string;
  /** If this process dies mid-race, the server ends the gate's transaction after this. Default 10 s. */
  idleInTransactionTimeoutMs?: number;
  /** How often `waitUntilBlocked` asks the server. Default 5 ms. */
  pollIntervalMs?: number;
  /** The clock for `lockedAt` and `release()`'s answer. Default `performance.now`. */
  now?: () => number;
}

export interface RowLockGate {
  /** The backend pid of the connection holding the lock. */
  readonly pid: number;
  /** `now()` when the lock was taken. */
  readonly lockedAt: number;
  /** Backends waiting behind the gate, directly or queued behind another waiter. */
  blockedPids: () => Promise<number[]>;
  /** Resolves, with their pids, once at least `count` backends wait behind the gate. */
  waitUntilBlocked: (count: number, timeoutMs?: number) => Promise<number[]>;
  /** Commits (the lock goes), closes the connections, answers `now()` at the commit. Idempotent. */
  release: () => Promise<number>;
}

/**
 * The pids waiting, transitively, behind `holderPid`: those it blocks, those they block, …
 * Run it on a connection outside any transaction: pg_stat_activity is a per-transaction
 * snapshot.
 */
export async function backendsBlockedBehind(sql: postgres.Sql, holderPid: number): Promise<number[]> {
  const rows = await sql<{ pid: number }[]>`
    with recursive blocked(pid) as (
      select pid from pg_stat_activity where ${holderPid}::int = any(pg_blocking_pids(pid))
      union
      select a.pid from pg_stat_activity a join blocked b on b.pid = any(pg_blocking_pids(a.pid))
    )
    select pid from blocked`;
  return rows.map((row) => row.pid);
}

const strengths: Record<RowLockStrength, string> = {
  update: "for update",
  "no key update": "for no key update",
  share: "for share",
  "key share": "for key share",
};

export async function openRowLockGate(options: RowLockGateOptions): Promise<RowLockGate> {
  const now = options.now ?? (() => performance.now());
  const pollIntervalMs = options.pollIntervalMs ?? 5;
  // Two connections: one holds the lock in its transaction, the other asks who waits.
  // Nothing a transaction pooler refuses: no prepared statements, no settings at startup
  // (the timeout is transaction-local), and the pid is read inside the transaction, the only
  // place a pooler keeps one backend.
  const sql = postgres(options.url, {
    max: 2,
    connect_timeout: 5,
    prepare: false,
    onnotice: () => undefined,
    connection: { application_name: options.applicationName ?? "race-kit-gate" },
  });
  let reserved: postgres.ReservedSql | undefined;
  try {
    reserved = await sql.reserve();
    await reserved`begin`;
    const idleTimeout = `${options.idleInTransactionTimeoutMs ?? 10_000}ms`;
    const [row] = await reserved<{ pid: number }[]>`
      select pg_backend_pid() as pid, set_config('idle_in_transaction_session_timeout', ${idleTimeout}, true)`;
    if (!row) throw new Error("the gate's connection has no backend pid");
    const { lock } = options;
    if ("sql" in lock) {
      await reserved.unsafe(lock.sql, lock.params ? [...lock.params] : []);
    } else {
      const strength = strengths[lock.strength ?? "update"];
      await reserved`select 1 from ${reserved(lock.table)} where ${reserved(lock.column)} = ${lock.value} ${reserved.unsafe(strength)}`;
    }
    const lockedAt = now();
    const connection = reserved;
    const pid = row.pid;
    let released: Promise<number> | undefined;

    const blockedPids = () => backendsBlockedBehind(sql, pid);
    return {
      pid,
      lockedAt,
      blockedPids,
      waitUntilBlocked: async (count, timeoutMs = 10_000) => {
        const deadline = performance.now() + timeoutMs;
        for (;;) {
          if (released) throw new Error("the gate was released before the requests queued behind it");
          const pids = await blockedPids();
          if (pids.length >= count) return pids;
          if (performance.now() > deadline) {
            throw new Error(`fewer than ${count} backends blocked behind the gate after ${timeoutMs} ms (${pids.length})`);
          }
          await delay(pollIntervalMs);
        }
      },
      release: () =>
        (released ??= (async () => {
          try {
            await connection`commit`;
            return now();
          } finally {
            connection.release();
            await sql.end({ timeout: 1 });
          }
        })()),
    };
  } catch (error) {
    reserved?.release();
    await sql.end({ timeout: 1 });
    throw error;
  }
}
