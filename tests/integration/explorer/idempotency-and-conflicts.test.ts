/**
 * The other guarantees under every interleaving: one requestId claimed twice at once is
 * one exchange; two manual edits at one version are one save and one CONFLICT.
 */
import { describe, expect, inject, it } from "vitest";

import { explore, formatReport } from "race-kit";

import { getDb } from "~/server/db";
import { sameRequestIdClaims, twoSceneUpdates } from "../../explorer/cases";

const environment = () => ({ db: getDb(), databaseUrl: inject("databaseUrl") });

describe("idempotency and optimistic locking under the explorer", () => {
  it("the same requestId claimed twice: one exchange in every interleaving", async () => {
    const report = await explore(sameRequestIdClaims(environment()));
    console.log(formatReport(report));
    expect(report.complete).toBe(true);
    expect(report.counts.broken).toBe(0);
    // The claim is one statement: both orders of the two, each followed by the other's resume.
    expect(report.explored).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it("two scene.update at one version: one save and one CONFLICT in every interleaving", async () => {
    const report = await explore(twoSceneUpdates(environment()));
    console.log(formatReport(report));
    expect(report.complete).toBe(true);
    expect(report.counts.broken).toBe(0);
    expect(report.explored).toBeGreaterThan(2);
  }, 60_000);
});
