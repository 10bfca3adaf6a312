/**
 * Promises that someone else settles, for forcing an order instead of hoping for one.
 *
 * Why it exists: every forced race needs "let the code under test run up to a point,
 * hold it there, and let it go when the schedule says so". `pausePoint()` is that
 * point: the code under test awaits `wait()` where it would do its slow step (a model
 * call, an HTTP call), the schedule awaits `reached` and calls `release()`. It is the
 * one copy; tests, the Race Lab and scripts all build on it.
 */

/** A promise with its `resolve` and `reject` in hand. */
export interface Deferred<T = void> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (reason?: unknown) => void;
  /** True once `resolve` or `reject` was called. */
  readonly settled: boolean;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (reason?: unknown) => void;
  let settled = false;
  const promise = new Promise<T>((onResolve, onReject) => {
    resolve = (value) => {
      settled = true;
      onResolve(value);
    };
    reject = (reason) => {
      settled = true;
      onReject(reason);
    };
  });
  return {
    promise,
    resolve,
    reject,
    get settled() {
      return settled;
    },
  };
}

/** A point the code under test stops at until the schedule lets it go. */
export interface PausePoint {
  /** Resolves when the code under test called `wait()`. */
  reached: Promise<void>;
  /** Lets the waiting code go on (or lets a later `wait()` return at once). Idempotent. */
  release: () => void;
  /**
   * What the code under test calls in place of its slow step: marks the point reached,
   * then waits for `release()`. Takes (and ignores) any arguments, so it can stand in for
   * a function such as `(prompt: string) => Promise<void>`.
   */
  wait: (...args: unknown[]) => Promise<void>;
  readonly isReached: boolean;
  readonly isReleased: boolean;
}

export function pausePoint(): PausePoint {
  const reached = deferred();
  const released = deferred();
  return {
    reached: reached.promise,
    release: () => released.resolve(),
    wait: async () => {
      reached.resolve();
      await released.promise;
    },
    get isReached() {
      return reached.settled;
    },
    get isReleased() {
      return released.settled;
    },
  };
}

/** Thrown by `withTimeout` when the promise did not settle in time. */
export class TimeoutError extends Error {
  override name = "TimeoutError";
}

/**
 * `promise`, or a `TimeoutError` naming `what` after `ms`: a forced schedule waits for
 * events that a broken variant may never produce, and must say which one it missed.
 */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
