/**
 * The app's side of race-kit for Vitest: a pause point shaped like a model call, the
 * gate on a project row, and the two-request schedules on generations. The mechanisms
 * (pause point, row-lock gate, schedules) are race-kit's; this file only names the
 * app's row and the test database.
 */
import { inject } from "vitest";
import { openRowLockGate, pausePoint as kitPausePoint, runTwoRequestSchedule, type RowLockGate } from "race-kit";

import type { ModelCall } from "~/server/services/brain/model";

export interface PausePoint {
  /** Pass in place of the model call. */
  modelCall: ModelCall;
  /** Resolves when the request has reached the model call (claim done, project read). */
  reached: Promise<void>;
  release: () => void;
}

export function pausePoint(): PausePoint {
  const pause = kitPausePoint();
  return { modelCall: pause.wait, reached: pause.reached, release: pause.release };
}

/**
 * The server itself, for sessions of the test's own (a lock gate is a psql session): the
 * test database, or DATABASE_DIRECT_URL when the app's URL is a transaction pooler
 * (`npm run test:pooler`), so the gate does not take one of the pooler's server connections
 * from the requests it holds up.
 */
export function directDatabaseUrl() {
  return process.env.DATABASE_DIRECT_URL ?? inject("databaseUrl");
}

/** Opens a transaction on its own connection and locks the project row `FOR UPDATE`. */
export function holdProjectLock(projectId: string): Promise<RowLockGate> {
  return openRowLockGate({ url: directDatabaseUrl(), lock: { table: "projects", column: "id", value: projectId } });
}

/** race-kit's schedules (race-kit/src/schedules.ts) that need no pids of the requests. */
export type Schedule = "sequential" | "gated";

/** Two generations on one project, paused at their model calls, released in `schedule`'s order. */
export async function raceTwo(
  projectId: string,
  schedule: Schedule,
  start: (modelCall: ModelCall, name: "A" | "B") => Promise<unknown>,
) {
  await runTwoRequestSchedule(schedule, {
    start: (index, pause) => start(pause.wait, index === 0 ? "A" : "B"),
    lockGate: () => holdProjectLock(projectId),
  });
}
