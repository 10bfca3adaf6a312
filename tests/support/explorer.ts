import { formatReport, type ExplorationReport } from "race-kit";
import { expect } from "vitest";

/**
 * What a fix must get from the explorer: every feasible interleaving run, none broken, none
 * failed, and nothing the explorer had to note (a nondeterministic replay, a stuck run).
 * Prints the report first, so a failure shows its schedules.
 */
export function expectNothingBroken(report: ExplorationReport) {
  console.log(formatReport(report));
  expect(report.complete).toBe(true);
  expect(report.notes).toEqual([]);
  expect(report.counts.broken).toBe(0);
  expect(report.counts.error).toBe(0);
}
