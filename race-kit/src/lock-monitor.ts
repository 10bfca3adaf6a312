/**
 * The lock monitor: polls pg_blocking_pids() for a set of sessions, named by their
 * `application_name` (./lock-waits.ts says why not by pid), on its own connection, and
 * reports when each one starts and stops waiting for a lock.
 *
 * Why it exists: a request waiting on a row lock looks, from the client, exactly like
 * a slow one. Only the server knows it is blocked and by whom. A forced schedule needs
 * that to move on ("B is queued behind A, release A"), and a timeline needs it to draw
 * the wait. The monitor knows names only; what a name means is the caller's business.
 */
import { setTimeout as delay } from "node:timers/promises";

import postgres from "postgres";

import { lockWaits, type LockHolder } from "./lock-waits";

export interface LockMonitorOptions {
  /** A PostgreSQL connection URL; the monitor opens one connection of its own. */
  url: string;
  /** Pause between two polls. Default 2 ms. */
  pollIntervalMs?: number;
  /** The clock events are stamped with. Default `performance.now`. */
  now?: () => number;
  /** Shown in pg_stat_activity. Default "race-kit-monitor". */
  applicationName?: string;
  /** The session named `name` was first seen waiting, for locks held by `holders`, at `at`. */
  onWaitStart?: (name: string, holders: LockHolder[], at: number) => void;
  /** The session named `name` was first seen no longer waiting at `at`. */
  onWaitEnd?: (name: string, at: number) => void;
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
  readonly #names = new Set<string>();
  readonly #holders = new Map<string, LockHolder[]>();
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
      // Nothing a transaction pooler refuses: no prepared statements, no settings at startup.
      prepare: false,
      onnotice: () => undefined,
      connection: { application_name: options.applicationName ?? "race-kit-monitor" },
    });
  }

  /** Opens the connection, so the first poll is not slowed by it. */
  async connect() {
    await this.#sql`select 1`;
  }

  /** Adds sessions to watch, by their `application_name`. */
  watch(names: Iterable<string>) {
    for (const name of names) this.#names.add(name);
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

  /** One look at the server: updates every watched session and fires the callbacks. */
  async poll() {
    const names = [...this.#names];
    if (names.length === 0) return;
    const at = this.#now();
    const waits = await lockWaits(this.#sql, names);
    for (const name of names) {
      const holders = waits.get(name) ?? [];
      const wasBlocked = this.isBlocked(name);
      this.#holders.set(name, holders);
      if (holders.length > 0 && !wasBlocked) this.#options.onWaitStart?.(name, holders, at);
      if (holders.length === 0 && wasBlocked) this.#options.onWaitEnd?.(name, at);
    }
    for (const waiter of this.#waiters) {
      if (!waiter.condition()) continue;
      this.#waiters.delete(waiter);
      waiter.resolve();
    }
  }

  /** The sessions `name` waited for on the latest poll (empty: not waiting). */
  holders(name: string): LockHolder[] {
    return this.#holders.get(name) ?? [];
  }

  isBlocked(name: string): boolean {
    return this.holders(name).length > 0;
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

  /** Resolves once the session named `name` is seen waiting for a lock. */
  waitUntilBlocked(name: string, what = `${name} waits for a lock`, timeoutMs?: number): Promise<void> {
    return this.waitUntil(() => this.isBlocked(name), what, timeoutMs);
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
