/**
 * The Race Lab's welcome-reset strategies (src/server/lab/welcome-reset/) under the welcome-scene
 * race, forced two ways on a new welcome project, 20 trials each
 * (race-kit's schedules, race-kit/src/schedules.ts, through tests/support/race.ts), judged
 * with the app's invariants (src/lib/invariants.ts):
 *
 * - "sequential": a double-click with a slow model; A applies completely, then B.
 * - "gated": both requests queue behind a held row lock, then race for it.
 *
 * The broken strategies must lose a scene in every trial of the schedule that
 * exposes them (these schedules can see a loss); the fixes must lose nothing in any trial
 * of either schedule. The app's own fix, under the same schedules: welcome-reset-race.test.ts.
 */
import { randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import type { WelcomeResetStrategy } from "~/lib/lab";
import { getDb } from "~/server/db";
import { generateWithStrategy } from "~/server/lab/generate-with-strategy";
import { createWelcomeProject } from "~/server/services/projects";
import { inspectProject } from "../support/invariants";
import { raceTwo, type Schedule } from "../support/race";

const TRIALS = 20;

async function raceTwoGenerations(strategy: WelcomeResetStrategy, schedule: Schedule) {
  const db = getDb();
  const userId = randomUUID();
  const project = await createWelcomeProject(db, userId, "Race");
  await raceTwo(project.id, schedule, (modelCall, name) =>
    generateWithStrategy(db, { userId, projectId: project.id, prompt: `Scene from ${name}`, strategy }, modelCall),
  );
  return inspectProject(project.id);
}

async function runTrials(strategy: WelcomeResetStrategy, schedule: Schedule) {
  const results = [];
  for (let trial = 0; trial < TRIALS; trial++) results.push(await raceTwoGenerations(strategy, schedule));
  const lossy = results.filter((result) => result.lostScenes > 0).length;
  console.log(`[race] ${strategy.padEnd(16)} ${schedule.padEnd(10)} lost a scene in ${lossy}/${TRIALS} trials`);
  return results;
}

describe("welcome-scene reset under a forced race", () => {
  it("naive loses a generated scene in every sequential trial", async () => {
    const results = await runTrials("naive", "sequential");
    expect(results.every((result) => result.lostScenes === 1 && result.generatedScenes === 1)).toBe(true);
    expect(results[0]?.violations).toContainEqual(expect.stringMatching(/no longer exists: a lost scene/));
  });

  it("transaction-only loses a generated scene in every gated trial", async () => {
    const results = await runTrials("transaction-only", "gated");
    expect(results.every((result) => result.lostScenes === 1 && result.generatedScenes === 1)).toBe(true);
  });

  it("transaction-only survives the sequential schedule, which is why it looks fixed", async () => {
    const results = await runTrials("transaction-only", "sequential");
    expect(results.every((result) => result.lostScenes === 0)).toBe(true);
  });

  describe.each(["locked", "compare-and-set", "single-statement"] as const)("%s", (strategy) => {
    it.each(["sequential", "gated"] as const)("loses nothing in any %s trial", async (schedule) => {
      const results = await runTrials(strategy, schedule);
      for (const result of results) {
        // No violation: nothing lost, the welcome reset done, orders and sequences unique, nothing stuck, …
        expect(result).toMatchObject({ violations: [], generatedScenes: 2, messages: 4 });
      }
    });
  });
});
