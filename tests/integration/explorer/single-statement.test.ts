/**
 * The single-statement apply under every feasible interleaving where a snapshot can be
 * stale: single statements queued behind the app's locked apply (which holds the project
 * lock across statements), on a welcome project and on one that is appending, with two of
 * them released at once behind it. Then the reply expiring meanwhile, where the batch of
 * the same writes without a transaction leaves writes behind and the single statement
 * (like the locked apply) writes nothing. Cases: tests/explorer/single-statement.ts.
 */
import { describe, expect, inject, it } from "vitest";

import { explore, formatReport } from "race-kit";

import { getDb } from "~/server/db";
import { applyVersusExpiry, mixedApplies } from "../../explorer/single-statement";
import { expectNothingBroken } from "../../support/explorer";

const environment = () => ({ db: getDb(), databaseUrl: inject("databaseUrl") });

describe("single-statement apply under the explorer", () => {
  it.each([false, true])("against the locked apply (appending: %s): breaks nothing, and waits behind it", async (appending) => {
    const report = await explore(mixedApplies(environment(), { A: "locked", B: "single-statement" }, { appending }));
    expectNothingBroken(report);
    expect(report.counts.blocked).toBeGreaterThan(0);
  }, 120_000);

  it("two single statements released together behind the locked apply: a bounded sample breaks nothing", async () => {
    // 1,254 feasible interleavings, 80–120 s on 2 cores: `npm run explore` runs them all.
    const report = await explore({
      ...mixedApplies(environment(), { A: "locked", B: "single-statement", C: "single-statement" }, { appending: true }),
      maxInterleavings: 120,
      samples: 80,
      seed: 7,
    });
    console.log(formatReport(report));
    expect(report.notes).toEqual([]);
    expect(report.explored).toBeGreaterThan(120);
    expect(report.counts.broken).toBe(0);
    expect(report.counts.error).toBe(0);
    // Some runs had a statement retried: B or C sent a third statement.
    expect(report.stepsPerLane.B).toMatch(/3/);
  }, 120_000);

  it("without its retry, the statement queued behind the lock picks a taken order in some interleavings", async () => {
    const report = await explore(
      mixedApplies(environment(), { A: "locked", B: "single-statement without retry" }, { appending: true }),
    );
    console.log(formatReport(report));
    expect(report.complete).toBe(true);
    expect(report.counts.broken).toBeGreaterThan(0);
    expect(report.breaking[0]?.outcomes.B).toMatchObject({ ok: false, message: expect.stringMatching(/order was taken/) });
  }, 120_000);

  it.each(["single-statement", "locked"] as const)("%s against the reply expiring meanwhile: writes all or nothing", async (variant) => {
    const report = await explore(applyVersusExpiry(environment(), variant));
    expectNothingBroken(report);
  }, 120_000);

  it("the batch of the same writes without a transaction passes the welcome race…", async () => {
    const report = await explore(mixedApplies(environment(), { A: "batch", B: "batch" }));
    console.log(formatReport(report));
    expect(report.complete).toBe(true);
    expect(report.counts.broken).toBe(0);
  }, 120_000);

  it("…and leaves a half-applied reset and an orphan scene when the reply expires meanwhile", async () => {
    const report = await explore(applyVersusExpiry(environment(), "batch"));
    console.log(formatReport(report));
    expect(report.complete).toBe(true);
    expect(report.counts.broken).toBeGreaterThan(0);
    expect(report.breaking[0]?.violations.join(" ")).toMatch(/left writes behind/);
  }, 120_000);
});
