/**
 * The app's welcome-scene fix — `generateScene`: claim, think with no lock held, apply under
 * the project's row lock, the reset decided from the locked row — under the race that loses a
 * scene without it, forced two ways on a new welcome project, 20 trials each (race-kit's
 * schedules through tests/support/race.ts), judged with the app's invariants:
 *
 * - "sequential": a double-click with a slow model; A applies completely, then B.
 * - "gated": both requests queue behind a held row lock, then race for it.
 *
 * Both schedules lose a scene with the broken variants of this code (the Race Lab's naive and
 * transaction-only strategies: lab-welcome-reset-race.test.ts), so they can see a loss.
 */
import { randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import { getDb } from "~/server/db";
import { generateScene } from "~/server/services/generation/generate-scene";
import { createWelcomeProject } from "~/server/services/projects";
import { inspectProject } from "../support/invariants";
import { raceTwo } from "../support/race";

const TRIALS = 20;

describe("the welcome-scene reset under a forced race", () => {
  it.each(["sequential", "gated"] as const)("generateScene loses nothing in any %s trial", async (schedule) => {
    const db = getDb();
    for (let trial = 0; trial < TRIALS; trial++) {
      const userId = randomUUID();
      const project = await createWelcomeProject(db, userId, "Race");
      await raceTwo(project.id, schedule, (modelCall, name) =>
        generateScene(db, { userId, projectId: project.id, prompt: `Scene from ${name}`, requestId: randomUUID() }, { modelCall }),
      );
      // No violation: nothing lost, the welcome reset done once, orders and sequences unique, nothing stuck, …
      expect(await inspectProject(project.id)).toMatchObject({ violations: [], generatedScenes: 2, messages: 4, lostScenes: 0 });
    }
  });
});
