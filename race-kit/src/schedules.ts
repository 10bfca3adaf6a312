/**
 * Hand-picked schedules for two concurrent requests, each paused at a pause point in
 * place of its slow step, released in a forced order.
 *
 * Why it exists: "run two requests at once and see" lets the scheduler pick the order,
 * and it usually picks the harmless one. Each schedule below forces one interleaving
 * every time, and the steps are written once here; the caller says only how to start a
 * request, how to lock the contended row and how to see a request wait for a lock.
 *
 * - `sequential`: both start and reach their pause points; A is released and finishes,
 *   then B is released (a double-click with a slow step in the middle).
 * - `gated`: both reach their pause points; a gate locks the row they will both need;
 *   both are released and run up to that lock (the gate waits until both are queued
 *   behind it); then the gate commits and they race for the lock.
 * - `queued`: for code that holds the lock through its slow step: A starts and pauses
 *   (holding the lock), B starts and is seen waiting for that lock, A is released, then
 *   B reaches its pause point and is released.
 */
import { pausePoint, withTimeout, type PausePoint } from "./deferred";

export const twoRequestSchedules = ["sequential", "gated", "queued"] as const;
export type TwoRequestSchedule = (typeof twoRequestSchedules)[number];

/** What the gated schedule needs of a gate (a `RowLockGate` from ./gate has it). */
export interface ScheduleGate {
  waitUntilBlocked: (count: number) => Promise<unknown>;
  release: () => Promise<unknown>;
}

export type RequestIndex = 0 | 1;

export interface ScheduleHooks {
  /**
   * Starts request `index` (0 is A, 1 is B). The request must call `pause.wait()` in place
   * of its slow step; the returned promise settles when the request has ended.
   */
  start: (index: RequestIndex, pause: PausePoint) => Promise<unknown>;
  /** `gated` only: locks the row both requests will need, on a connection of its own. */
  lockGate?: () => Promise<ScheduleGate>;
  /** `queued` only: resolves once request `index` is seen waiting for a lock. */
  waitUntilQueued?: (index: RequestIndex) => Promise<void>;
  /** How long any one step of the schedule may take. Default 10 s. */
  stepTimeoutMs?: number;
  /** Names for error messages. Default ["A", "B"]. */
  names?: readonly [string, string];
}

export interface ScheduleRun {
  /** The requests' outcomes, in start order. */
  results: [PromiseSettledResult<unknown>, PromiseSettledResult<unknown>];
}

/**
 * Runs two requests in the forced order `schedule` names. Whatever happens, nothing stays
 * paused or locked: on the way out every pause point and the gate are released and the
 * requests are waited for. Rejects when the schedule could not be forced (a step timed
 * out, a request ended before its pause point) or when a request rejected.
 */
export async function runTwoRequestSchedule(schedule: TwoRequestSchedule, hooks: ScheduleHooks): Promise<ScheduleRun> {
  const timeoutMs = hooks.stepTimeoutMs ?? 10_000;
  const names = hooks.names ?? (["A", "B"] as const);
  const pauses: [PausePoint, PausePoint] = [pausePoint(), pausePoint()];
  const requests: Promise<unknown>[] = [];
  let gate: ScheduleGate | undefined;

  const start = (index: RequestIndex) => {
    // Caught here so an early failure is not unhandled; it is reported from `settle` below.
    const request = hooks.start(index, pauses[index]);
    request.catch(() => undefined);
    requests[index] = request;
  };
  const step = <T>(promise: Promise<T>, what: string) => withTimeout(promise, timeoutMs, what);
  /** Resolves when request `index` reached its pause point; rejects if it ended first. */
  const reached = (index: RequestIndex) =>
    step(
      Promise.race([
        pauses[index].reached,
        (requests[index] ?? Promise.resolve()).then(
          () => {
            if (!pauses[index].isReached) throw new Error(`request ${names[index]} ended before its pause point`);
          },
          (error: unknown) => {
            throw new Error(`request ${names[index]} failed before its pause point: ${describe(error)}`, { cause: error });
          },
        ),
      ]),
      `request ${names[index]} to reach its pause point`,
    );
  const finished = (index: RequestIndex) => step(requests[index] ?? Promise.resolve(), `request ${names[index]} to finish`);

  let failure: unknown;
  try {
    if (schedule === "sequential") {
      start(0);
      start(1);
      await Promise.all([reached(0), reached(1)]);
      pauses[0].release();
      await finished(0);
      pauses[1].release();
      await finished(1);
    } else if (schedule === "gated") {
      if (!hooks.lockGate) throw new Error("the gated schedule needs a lockGate hook");
      start(0);
      start(1);
      await Promise.all([reached(0), reached(1)]);
      gate = await step(hooks.lockGate(), "the gate to lock the row");
      pauses[0].release();
      pauses[1].release();
      await step(gate.waitUntilBlocked(2), "both requests to queue behind the gate");
      await step(gate.release(), "the gate to commit");
      await Promise.all([finished(0), finished(1)]);
    } else {
      if (!hooks.waitUntilQueued) throw new Error("the queued schedule needs a waitUntilQueued hook");
      start(0);
      await reached(0);
      start(1);
      await step(hooks.waitUntilQueued(1), `request ${names[1]} to queue behind request ${names[0]}`);
      pauses[0].release();
      await reached(1);
      pauses[1].release();
      await Promise.all([finished(0), finished(1)]);
    }
  } catch (error) {
    failure = error;
  } finally {
    for (const pause of pauses) pause.release();
    await gate?.release().catch(() => undefined);
  }

  const settled = await step(Promise.allSettled(requests), "the requests to settle").catch((error: unknown) => {
    failure ??= error;
    return [] as PromiseSettledResult<unknown>[];
  });
  if (failure !== undefined) throw failure;
  const results = [settled[0], settled[1]] as ScheduleRun["results"];
  const rejected = results.find((result) => result?.status === "rejected");
  if (rejected?.status === "rejected") throw rejected.reason;
  return { results };
}

function describe(error: unknown) {
  return error instanceof Error ? error.message : String(error);
}
