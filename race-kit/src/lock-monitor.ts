/**
 * The lock monitor: polls pg_blocking_pids() for a set of backend pids, on its own
 * connection, and reports when each one starts and stops waiting for a lock.
 *
 * Why it exists: a request waiting on a row lock looks, from the client, exactly like
 * a slow one. Only the server knows it is blocked and by whom. A forced schedule needs
 * that to move on ("B is queued behind A, release A"), and a timeline needs it to draw
 * the wait. The monitor knows pids only; what a pid means is the caller's business.
 */
import { setTimeout as delay } from "node:timers/promises";

import postgres from "postgres";

export interface LockMonitorOptions {
  /** A PostgreSQL connection URL; the monitor opens one connection of its own. */
  url: string;
  /** Pause between two polls. Default 2 ms. */
  pollIntervalMs?: number;
  /** The clock events are stamped with. Default `performance.now`. */
  now?: () => number;
  /** Shown in pg_stat_activity. Default "race-kit-monitor". */
  applicationName?: string;
  /** `pid` was first seen waiting, for locks held by `blockers`, at `at`. */
  onWaitStart?: (pid: number, blockers: number[], at: number) => void;
  /** `pid` was first seen no longer waiting at `at`. */
  onWaitEnd?: (pid: number, at: number) => void;
}

interface Waiter {
  condition: () => boolean;
  resolve: () => void;
  reject: (error: Error) => void;
}

export class LockMonitor {
  readonly pollIntervalMs: number;
  readonly #options: LockMonitorOptions;
  readonly #now: () => number;
  readonly #sql: postgres.Sql;
  readonly #pids = new Set<number>();
  readonly #blockers = new Map<number, number[]>();
  readonly #waiters = new Set<Waiter>();
  #running = false;
  #loop: Promise<void> | undefined;
  #failure: Error | undefined;

  constructor(options: LockMonitorOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => performance.now());
    this.pollIntervalMs = options.pollIntervalMs ?? 2;
    this.#sql = postgres(options.url, {
      max: 1,
      connect_timeout: 5,
      idle_timeout: 5,
      onnotice: () => undefined,
      connection: { application_name: options.applicationName ?? "race-kit-monitor", statement_timeout: 2_000 },
    });
  }

  /** Opens the connection, so the first poll is not slowed by it. */
  async connect() {
    await this.#sql`select 1`;
  }

  /** Adds backends to watch. */
  watch(pids: Iterable<number>) {
    for (const pid of pids) this.#pids.add(pid);
  }

  start() {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
  }

  async #run() {
    try {
      while (this.#running) {
        await this.poll();
        await delay(this.pollIntervalMs);
      }
    } catch (error) {
      this.#failure = error instanceof Error ? error : new Error(String(error));
      for (const waiter of this.#waiters) waiter.reject(new Error(`lock monitor failed: ${this.#failure.message}`));
      this.#waiters.clear();
    }
  }

  /** One look at the server: updates every watched pid and fires the callbacks. */
  async poll() {
    const pids = [...this.#pids];
    if (pids.length === 0) return;
    const at = this.#now();
    const rows = await this.#sql<{ pid: number; blockers: number[] }[]>`
      select pid, pg_blocking_pids(pid) as blockers from pg_stat_activity where pid in ${this.#sql(pids)}`;
    for (const pid of pids) {
      const blockers = rows.find((row) => row.pid === pid)?.blockers ?? [];
      const wasBlocked = this.isBlocked(pid);
      this.#blockers.set(pid, blockers);
      if (blockers.length > 0 && !wasBlocked) this.#options.onWaitStart?.(pid, blockers, at);
      if (blockers.length === 0 && wasBlocked) this.#options.onWaitEnd?.(pid, at);
    }
    for (const waiter of this.#waiters) {
      if (!waiter.condition()) continue;
      this.#waiters.delete(waiter);
      waiter.resolve();
    }
  }

  /** The pids `pid` waited for on the latest poll (empty: not waiting). */
  blockers(pid: number): number[] {
    return this.#blockers.get(pid) ?? [];
  }

  isBlocked(pid: number): boolean {
    return this.blockers(pid).length > 0;
  }

  /** Resolves once `condition` holds after a poll; rejects after `timeoutMs` or if polling fails. */
  waitUntil(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
    if (this.#failure) return Promise.reject(new Error(`lock monitor failed: ${this.#failure.message}`));
    if (!this.#running) return Promise.reject(new Error("lock monitor is not running"));
    if (condition()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new Error(`timed out after ${timeoutMs} ms waiting until ${what}`));
      }, timeoutMs);
      const waiter: Waiter = {
        condition,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.#waiters.add(waiter);
    });
  }

  /** Resolves once `pid` is seen waiting for a lock. */
  waitUntilBlocked(pid: number, what = `backend ${pid} waits for a lock`, timeoutMs?: number): Promise<void> {
    return this.waitUntil(() => this.isBlocked(pid), what, timeoutMs);
  }

  /** Stops polling after the current poll (so a wait that just ended is seen ending). */
  async stop() {
    this.#running = false;
    await this.#loop;
    for (const waiter of this.#waiters) waiter.reject(new Error("lock monitor stopped"));
    this.#waiters.clear();
  }

  async close() {
    await this.stop();
    await this.#sql.end({ timeout: 1 });
  }
}
