/**
 * The two pieces of a forced interleaving that live outside the requests (the same
 * mechanism as tests/support/race.ts, copied here because app code never imports
 * tests):
 *
 * - `LockMonitor` polls pg_stat_activity / pg_blocking_pids() on its own connection
 *   while the race runs. It records, per lane, when the lane's backend was seen waiting
 *   for a lock (the timeline's wait bars) and lets the schedule wait until requests are
 *   queued behind the gate.
 * - `openGate` opens a transaction on its own connection and locks the project row
 *   `FOR UPDATE`, so both requests queue behind it before it commits.
 */
import { setTimeout as delay } from "node:timers/promises";

import postgres from "postgres";

import type { Lane, RaceClock } from "./lane";

export const POLL_INTERVAL_MS = 2;

export class LockMonitor {
  readonly #sql: postgres.Sql;
  readonly #blocked = new Map<number, number[]>();
  #lanes: Lane[] = [];
  #names = new Map<number, string>();
  #running = false;
  #loop: Promise<void> | undefined;
  #failure: unknown;

  constructor(
    databaseUrl: string,
    private readonly clock: RaceClock,
  ) {
    this.#sql = postgres(databaseUrl, {
      max: 1,
      connect_timeout: 5,
      idle_timeout: 5,
      onnotice: () => undefined,
      connection: { application_name: "race-lab-monitor", statement_timeout: 2_000 },
    });
  }

  async connect() {
    await this.#sql`select 1`;
  }

  watch(lanes: Lane[]) {
    this.#lanes = lanes;
    for (const lane of lanes) this.#names.set(lane.pid, `request ${lane.name}`);
  }

  /** Names a backend in wait labels ("the gate"). */
  name(pid: number, name: string) {
    this.#names.set(pid, name);
  }

  start() {
    this.#running = true;
    this.#loop = this.#run();
  }

  async #run() {
    const pids = this.#lanes.map((lane) => lane.pid);
    try {
      while (this.#running) {
        const at = this.clock.now();
        const rows = await this.#sql<{ pid: number; blockers: number[] }[]>`
          select pid, pg_blocking_pids(pid) as blockers from pg_stat_activity where pid in ${this.#sql(pids)}`;
        this.#apply(at, rows);
        await delay(POLL_INTERVAL_MS);
      }
    } catch (error) {
      this.#failure = error;
    }
  }

  #apply(at: number, rows: { pid: number; blockers: number[] }[]) {
    for (const lane of this.#lanes) {
      const blockers = rows.find((row) => row.pid === lane.pid)?.blockers ?? [];
      this.#blocked.set(lane.pid, blockers);
      if (blockers.length > 0) {
        const holders = blockers.map((pid) => this.#names.get(pid) ?? `another session (pid ${pid})`).join(" and ");
        lane.startWait(at, holders);
      } else {
        lane.endWait(at);
      }
    }
  }

  isBlocked(pid: number) {
    return (this.#blocked.get(pid)?.length ?? 0) > 0;
  }

  /** Resolves once `condition` holds on the latest poll; rejects after `timeoutMs`. */
  async waitUntil(condition: () => boolean, what: string, timeoutMs = 5_000) {
    const deadline = performance.now() + timeoutMs;
    while (!condition()) {
      if (this.#failure) throw new Error(`lock monitor failed: ${String(this.#failure)}`);
      if (!this.#running) throw new Error("lock monitor is not running");
      if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
      await delay(1);
    }
  }

  /** Takes one last look (so a wait that just ended is closed), then stops polling. */
  async stop() {
    this.#running = false;
    await this.#loop;
  }

  async close() {
    this.#running = false;
    await this.#sql.end({ timeout: 1 });
  }
}

export interface Gate {
  pid: number;
  atMs: number;
  /** Commits (releasing the row lock) and closes the connection. Safe to call twice. */
  release: () => Promise<number>;
}

export async function openGate(databaseUrl: string, projectId: string, clock: RaceClock): Promise<Gate> {
  const sql = postgres(databaseUrl, {
    max: 1,
    connect_timeout: 5,
    onnotice: () => undefined,
    // If this process dies mid-race, PostgreSQL ends the gate's transaction by itself.
    connection: { application_name: "race-lab-gate", idle_in_transaction_session_timeout: 10_000 },
  });
  let reserved: postgres.ReservedSql | undefined;
  try {
    reserved = await sql.reserve();
    const [row] = await reserved<{ pid: number }[]>`select pg_backend_pid() as pid`;
    await reserved`begin`;
    await reserved`select id from projects where id = ${projectId} for update`;
    const atMs = clock.now();
    const connection = reserved;
    let released: Promise<number> | undefined;
    return {
      pid: row?.pid ?? 0,
      atMs,
      release: () =>
        (released ??= (async () => {
          try {
            await connection`commit`;
            return clock.now();
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
