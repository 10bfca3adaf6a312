/**
 * Every Race Lab strategy of the welcome reset under every feasible interleaving of two
 * requests (src/server/lab/explore/welcome-reset.ts, the same exploration the lab's "All
 * interleavings" view shows): the broken ones must break at least one, the fixes none;
 * and a breaking schedule replays to the same damage.
 */
import { describe, expect, inject, it } from "vitest";

import { explore, formatReport, replay } from "race-kit";

import type { WelcomeResetStrategy } from "~/lib/lab";
import { getDb } from "~/server/db";
import { exploreWelcomeReset } from "~/server/lab/explore/welcome-reset";
import { expectNothingBroken } from "../../support/explorer";

const options = (strategy: WelcomeResetStrategy) =>
  exploreWelcomeReset(strategy, { db: getDb(), databaseUrl: inject("databaseUrl") });

describe("welcome-reset strategies under the explorer", () => {
  it.each(["naive", "transaction-only"] as const)("%s breaks in some interleavings, and a replay reproduces one", async (strategy) => {
    const report = await explore(options(strategy));
    console.log(formatReport(report));
    expect(report.complete).toBe(true);
    expect(report.notes).toEqual([]);
    expect(report.counts.broken).toBeGreaterThan(0);
    expect(report.counts.broken).toBeLessThan(report.explored);

    const first = report.breaking[0];
    expect(first?.damage?.step).toMatch(/^[AB]\d+$/);
    const again = await replay(options(strategy), first?.schedule ?? "");
    expect(again.schedule).toBe(first?.schedule);
    expect(again.verdict).toBe("broken");
    // The same statement did the damage (the ids in the violations are new each run).
    expect(again.damage?.step).toBe(first?.damage?.step);
    expect(again.damage?.transaction).toEqual(first?.damage?.transaction);
  }, 120_000);

  it.each(["locked", "compare-and-set", "lock-across-model-call"] as const)("%s breaks no feasible interleaving", async (strategy) => {
    const report = await explore(options(strategy));
    expectNothingBroken(report);
    expect(report.counts.blocked).toBeGreaterThan(0);
  }, 120_000);

  it("single-statement breaks no feasible interleaving (each request's apply is one step)", async () => {
    const report = await explore(options("single-statement"));
    expectNothingBroken(report);
    // One statement commits before the other is let through, so neither ever waits here:
    // the stale-snapshot cases are in ./single-statement.test.ts (behind the locked apply).
    expect(report.counts.blocked).toBe(0);
    expect(report.stepsPerLane).toEqual({ A: "2", B: "2" });
  }, 120_000);
});
