/**
 * The welcome-scene race, forced two ways on a new welcome project, 20 trials each:
 *
 * - "sequential": both requests start (and read the project) before either applies;
 *   then A applies completely, then B. This is a double-click with a slow model.
 * - "gated": a gate connection holds the project row lock; both requests run up to it
 *   and queue (checked with pg_blocking_pids); then the gate commits and they race.
 *
 * The broken strategies must lose a scene in every trial of the schedule that
 * exposes them; the fixes must lose nothing in any trial of either schedule.
 */
import { randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import type { WelcomeResetStrategy } from "~/lib/lab";
import { getDb } from "~/server/db";
import { generateWithStrategy } from "~/server/lab/generate-with-strategy";
import { createWelcomeProject } from "~/server/services/projects";
import { inspectProject } from "../support/invariants";
import { holdProjectLock, pausePoint } from "../support/race";

const TRIALS = 20;

type Schedule = "sequential" | "gated";

async function raceTwoGenerations(strategy: WelcomeResetStrategy, schedule: Schedule) {
  const db = getDb();
  const userId = randomUUID();
  const project = await createWelcomeProject(db, userId, "Race");
  const [pauseA, pauseB] = [pausePoint(), pausePoint()];
  const generate = (prompt: string, modelCall: typeof pauseA.modelCall) =>
    generateWithStrategy(db, { userId, projectId: project.id, prompt, strategy }, modelCall);

  const requestA = generate("A red intro", pauseA.modelCall);
  const requestB = generate("A blue outro", pauseB.modelCall);
  await Promise.all([pauseA.reached, pauseB.reached]);

  if (schedule === "sequential") {
    pauseA.release();
    await requestA;
    pauseB.release();
    await requestB;
  } else {
    const gate = await holdProjectLock(project.id);
    pauseA.release();
    pauseB.release();
    await gate.waitUntilBlocked(2);
    await gate.release();
    await Promise.all([requestA, requestB]);
  }
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
  });

  it("transaction-only loses a generated scene in every gated trial", async () => {
    const results = await runTrials("transaction-only", "gated");
    expect(results.every((result) => result.lostScenes === 1 && result.generatedScenes === 1)).toBe(true);
  });

  it("transaction-only survives the sequential schedule, which is why it looks fixed", async () => {
    const results = await runTrials("transaction-only", "sequential");
    expect(results.every((result) => result.lostScenes === 0)).toBe(true);
  });

  describe.each(["locked", "compare-and-set"] as const)("%s", (strategy) => {
    it.each(["sequential", "gated"] as const)("loses nothing in any %s trial", async (schedule) => {
      const results = await runTrials(strategy, schedule);
      for (const result of results) {
        expect(result).toMatchObject({
          lostScenes: 0,
          generatedScenes: 2,
          welcomeScenes: 0,
          isWelcome: false,
          ordersUnique: true,
          sequencesUnique: true,
          stuckMessages: 0,
          messages: 4,
        });
      }
    });
  });
});
