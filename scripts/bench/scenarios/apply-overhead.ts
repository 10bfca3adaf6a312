/**
 * Scenario 1, the price of the fix in the apply step: the lab's `naive` and `locked`
 * strategies and the app's fixed flow on server A at latency 0, each in a closed loop of
 * 10 clients on their own projects, in rotating order; ratios per pair of runs.
 */
import type { NextServer } from "../../lib/next-app";
import { median, percentile } from "../../lib/stats";
import { fixedFlow, labFlow, type Call } from "../calls";
import { steadyLoad, summarizeSteady, type SteadyResult } from "../load";
import { verbose } from "../settings";

export const S1 = { clients: 10, total: 300, reps: 6 };
export const S1_VARIANTS = ["naive", "locked", "fixed"] as const;
export type S1Variant = (typeof S1_VARIANTS)[number];

/** The percentiles the distribution chart draws. */
export const DISTRIBUTION_POINTS = [5, 25, 50, 75, 95, 99] as const;
export type Distribution = Record<(typeof DISTRIBUTION_POINTS)[number], number>;

const ORDERS: S1Variant[][] = [
  ["naive", "locked", "fixed"],
  ["locked", "fixed", "naive"],
  ["fixed", "naive", "locked"],
  ["locked", "naive", "fixed"],
  ["naive", "fixed", "locked"],
  ["fixed", "locked", "naive"],
];

export function distributionOf(latencies: readonly number[]): Distribution {
  return Object.fromEntries(DISTRIBUTION_POINTS.map((p) => [p, percentile(latencies, p)])) as Distribution;
}

function summary(results: SteadyResult[]) {
  return {
    ...summarizeSteady(results),
    bytes: median(results.map((r) => r.bytes)),
    /** Every measured call of every run together. */
    distribution: distributionOf(results.flatMap((r) => r.latencies)),
  };
}

export async function applyOverhead(a: NextServer, log: (line: string) => void) {
  const calls: Record<S1Variant, Call> = { naive: labFlow("naive", 0), locked: labFlow("locked", 0), fixed: fixedFlow };
  // Warm-up, not measured: the server keeps getting faster for its first thousand-odd
  // requests (JIT, lazily loaded route code, pool connections).
  for (let round = 0; round < 3; round++) {
    for (const call of Object.values(calls)) await steadyLoad(a, call, { clients: S1.clients, total: 100 });
  }
  const results: Record<S1Variant, SteadyResult[]> = { naive: [], locked: [], fixed: [] };
  for (let rep = 0; rep < S1.reps; rep++) {
    for (const variant of ORDERS[rep % ORDERS.length] ?? []) {
      const result = await steadyLoad(a, calls[variant], S1);
      results[variant].push(result);
      if (verbose) log(`  1 ${variant.padEnd(6)} p50 ${result.latency.p50.toFixed(1)} ms p99 ${result.latency.p99.toFixed(1)} ms`);
    }
  }
  // Ratios per run (locked run k against naive run k, measured moments apart), then the median:
  // the machine's drift during the scenario cancels out.
  const paired = (value: (result: SteadyResult) => number) =>
    median(results.locked.map((locked, rep) => value(locked) / value(results.naive[rep] ?? locked)));
  return {
    naive: summary(results.naive),
    locked: summary(results.locked),
    fixed: summary(results.fixed),
    p50Ratios: results.locked.map((locked, rep) => locked.latency.p50 / (results.naive[rep]?.latency.p50 ?? Number.NaN)),
    p50Ratio: paired((r) => r.latency.p50),
    p99Ratio: paired((r) => r.latency.p99),
    throughputRatio: paired((r) => r.throughput),
  };
}

export type ApplyOverheadResult = Awaited<ReturnType<typeof applyOverhead>>;
