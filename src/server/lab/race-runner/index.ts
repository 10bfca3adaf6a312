/**
 * The Race Lab page's runner: forced races on dedicated, recorded connections.
 * Used only by the lab router (src/server/lab/router.ts); the app never imports it.
 */
import { deferred } from "race-kit";

export { runToolRegistration } from "./tool-registration";
export type * from "./types";
export { defaultSchedule, runWelcomeResetRace, scheduleFor, type WelcomeResetRaceOptions } from "./welcome-reset";

/**
 * One race at a time in this process: races measure milliseconds and open up to five
 * connections each, so two pages pressing "Race" together take turns instead of
 * disturbing each other's timings.
 */
let tail: Promise<void> = Promise.resolve();

export async function oneRaceAtATime<T>(run: () => Promise<T>): Promise<T> {
  const previous = tail;
  const done = deferred();
  tail = done.promise;
  try {
    await previous;
    return await run();
  } finally {
    done.resolve();
  }
}
