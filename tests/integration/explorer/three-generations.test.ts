/**
 * Three concurrent generations on a new project, in bounded mode: every interleaving up
 * to a cap, then a seeded random sample; the report prints the coverage of the
 * (estimated) feasible space.
 */
import { expect, inject, it } from "vitest";

import { explore, formatReport } from "race-kit";

import { getDb } from "~/server/db";
import { claimThenApply } from "../../explorer/cases";

it("three generations: no sampled interleaving breaks anything", async () => {
  const options = claimThenApply({ db: getDb(), databaseUrl: inject("databaseUrl") }, 3);
  const report = await explore({ ...options, maxInterleavings: 60, samples: 60, seed: 3 });
  console.log(formatReport(report));
  expect(report.complete).toBe(false);
  expect(report.estimatedFeasible).toBeGreaterThan(report.explored);
  expect(report.counts.broken).toBe(0);
  expect(report.counts.error).toBe(0);
}, 120_000);
