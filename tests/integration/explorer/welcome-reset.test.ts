/**
 * The app's own fix for the welcome reset, under every interleaving of two concurrent
 * generations on a new project (tests/explorer/cases.ts): the claim and the apply
 * exhaustively, and the whole generateScene in bounded mode (its full space is in
 * `npm run explore`). The fix must break none.
 */
import { describe, expect, inject, it } from "vitest";

import { explore, formatReport } from "race-kit";

import { getDb } from "~/server/db";
import { claimThenApply, fullGeneration } from "../../explorer/cases";
import { expectNothingBroken } from "../../support/explorer";

const environment = () => ({ db: getDb(), databaseUrl: inject("databaseUrl") });

describe("the app's welcome reset under the explorer", () => {
  it("claim + apply: every feasible interleaving of two generations keeps both scenes", async () => {
    const report = await explore(claimThenApply(environment()));
    expectNothingBroken(report);
    // Every order the project lock allows (36 with the one-statement claim; 516 before it).
    expect(report.explored).toBeGreaterThan(20);
  }, 120_000);

  it("generateScene end to end: a bounded sample breaks nothing", async () => {
    const report = await explore({ ...fullGeneration(environment()), maxInterleavings: 40, samples: 40, seed: 7 });
    console.log(formatReport(report));
    expect(report.counts.broken).toBe(0);
    expect(report.counts.error).toBe(0);
    expect(report.explored).toBeGreaterThan(40);
  }, 120_000);
});
