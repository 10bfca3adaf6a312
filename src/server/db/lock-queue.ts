/**
 * Lock waits that cannot take the pool hostage. A request waiting for a row lock holds a
 * pooled connection while it waits: thirty requests for one contended row would hold the
 * whole pool, and every other user's request would queue behind them for as long as the
 * row stays locked. So work that takes row locks first takes a *turn* here, in memory,
 * before it asks the pool for a connection:
 *
 * - per key (the row it will lock, e.g. `projects:<id>`): at most PER_KEY_TURNS at once.
 *   Two, not one: one at work and one next in line at the database, so requests of one
 *   process still meet at the row lock (correctness is the lock's job, never this queue's;
 *   requests of other processes meet there anyway). The rest wait here, in order.
 * - in all: at most the pool size minus a reserve (a quarter, at least one), so reads and
 *   statements that lock nothing always find a connection.
 *
 * A turn not granted within the request's lock budget, or a key with more than
 * MAX_WAITING_PER_KEY waiting already, fails like a lock wait that reached lock_timeout
 * (SQLSTATE 55P03), so the one error map answers TOO_MANY_REQUESTS ("busy").
 * See docs/reliability.md ("One contended row cannot slow everyone down").
 */
export const PER_KEY_TURNS = 2;
export const MAX_WAITING_PER_KEY = 64;

export function lockWorkCapacity(poolSize: number) {
  return Math.max(1, poolSize - Math.max(1, Math.floor(poolSize / 4)));
}

/** What a request that did not get its turn in time fails with: the database's own code for it. */
export class LockTurnTimeoutError extends Error {
  readonly code = "55P03";
  constructor(key: string | undefined, waitedMs: number) {
    super(`gave up waiting ${Math.round(waitedMs)} ms for a turn to lock ${key ?? "rows"}`);
    this.name = "LockTurnTimeoutError";
  }
}

export interface LockTurn {
  /** What is left of the budget: the most the turn's statements may still wait for a lock. */
  remainingMs: number;
  /** The turn was free at once: nothing of the budget was spent waiting for it. */
  immediate: boolean;
  /** Gives the turn to the next waiter. Idempotent. */
  release: () => void;
}

class Semaphore {
  #free: number;
  readonly #waiters = new Set<() => void>();

  constructor(readonly size: number) {
    this.#free = size;
  }

  get idle() {
    return this.#free === this.size && this.#waiters.size === 0;
  }

  get waiting() {
    return this.#waiters.size;
  }

  /** Takes a slot if one is free and nobody waits for it. */
  tryAcquire(): boolean {
    if (this.#free === 0 || this.#waiters.size > 0) return false;
    this.#free--;
    return true;
  }

  /** True once a slot is ours; false if `timeoutMs` passed first (then nothing is held). */
  acquire(timeoutMs: number): Promise<boolean> {
    if (this.tryAcquire()) return Promise.resolve(true);
    if (timeoutMs <= 0) return Promise.resolve(false);
    return new Promise((resolve) => {
      const grant = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(grant);
        resolve(false);
      }, timeoutMs);
      this.#waiters.add(grant);
    });
  }

  release() {
    const [next] = this.#waiters;
    if (next) {
      this.#waiters.delete(next);
      next();
    } else {
      this.#free++;
    }
  }
}

export class LockQueue {
  readonly #all: Semaphore;
  readonly #byKey = new Map<string, Semaphore>();

  constructor(poolSize: number) {
    this.#all = new Semaphore(lockWorkCapacity(poolSize));
  }

  /** Requests waiting here for `key` (not yet at the database). */
  waitingFor(key: string) {
    return this.#byKey.get(key)?.waiting ?? 0;
  }

  async take(key: string | undefined, budgetMs: number): Promise<LockTurn> {
    const started = performance.now();
    const remaining = () => budgetMs - (performance.now() - started);
    const keyed = key === undefined ? undefined : this.#keyed(key);
    if (keyed && keyed.waiting >= MAX_WAITING_PER_KEY) throw new LockTurnTimeoutError(key, 0);

    let immediate = true;
    const acquire = (semaphore: Semaphore, timeoutMs: number) => {
      if (semaphore.tryAcquire()) return true;
      immediate = false;
      return semaphore.acquire(timeoutMs);
    };
    if (keyed && !(await acquire(keyed, budgetMs))) {
      this.#forget(key);
      throw new LockTurnTimeoutError(key, performance.now() - started);
    }
    if (!(await acquire(this.#all, remaining()))) {
      this.#releaseKey(key, keyed);
      throw new LockTurnTimeoutError(key, performance.now() - started);
    }
    let released = false;
    return {
      remainingMs: immediate ? budgetMs : Math.max(1, Math.floor(remaining())),
      immediate,
      release: () => {
        if (released) return;
        released = true;
        this.#all.release();
        this.#releaseKey(key, keyed);
      },
    };
  }

  #keyed(key: string) {
    let semaphore = this.#byKey.get(key);
    if (!semaphore) this.#byKey.set(key, (semaphore = new Semaphore(PER_KEY_TURNS)));
    return semaphore;
  }

  #releaseKey(key: string | undefined, keyed: Semaphore | undefined) {
    keyed?.release();
    this.#forget(key);
  }

  #forget(key: string | undefined) {
    if (key !== undefined && this.#byKey.get(key)?.idle) this.#byKey.delete(key);
  }
}
