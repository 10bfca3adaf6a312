/**
 * Scenario 6, the same calls through a transaction pooler: server A (straight to
 * PostgreSQL) against server C (the same build through PgBouncer in transaction mode,
 * configured as docs/deploying.md says), scenario 1's load shapes, alternating which goes
 * first; ratios are pooled / direct per pair of runs, then the median.
 */
import type { NextServer } from "../../lib/next-app";
import { median } from "../../lib/stats";
import { fixedFlow, projectRead } from "../calls";
import { steadyLoad, summarizeSteady, type SteadyResult } from "../load";
import { S1 } from "./apply-overhead";

export const S6 = { clients: S1.clients, total: S1.total, reads: 1_000, reps: 4 };

type Side = { fixed: SteadyResult[]; read: SteadyResult[] };

export async function throughPgBouncer(a: NextServer, c: NextServer) {
  for (let round = 0; round < 3; round++) {
    for (const server of [a, c]) {
      await steadyLoad(server, fixedFlow, { clients: S6.clients, total: 100 });
      await steadyLoad(server, projectRead, { clients: S6.clients, total: 300 });
    }
  }
  const sides: Record<"direct" | "pooled", Side> = { direct: { fixed: [], read: [] }, pooled: { fixed: [], read: [] } };
  for (let rep = 0; rep < S6.reps; rep++) {
    const order = rep % 2 === 0 ? (["direct", "pooled"] as const) : (["pooled", "direct"] as const);
    for (const side of order) {
      const server = side === "direct" ? a : c;
      sides[side].fixed.push(await steadyLoad(server, fixedFlow, { clients: S6.clients, total: S6.total }));
      sides[side].read.push(await steadyLoad(server, projectRead, { clients: S6.clients, total: S6.reads }));
    }
  }
  const paired = (call: keyof Side, value: (result: SteadyResult) => number) =>
    median(sides.pooled[call].map((pooled, rep) => value(pooled) / value(sides.direct[call][rep] ?? pooled)));
  return {
    direct: { fixed: summarizeSteady(sides.direct.fixed), read: summarizeSteady(sides.direct.read) },
    pooled: { fixed: summarizeSteady(sides.pooled.fixed), read: summarizeSteady(sides.pooled.read) },
    ratios: {
      fixedP50: paired("fixed", (r) => r.latency.p50),
      fixedThroughput: paired("fixed", (r) => r.throughput),
      readP50: paired("read", (r) => r.latency.p50),
      readThroughput: paired("read", (r) => r.throughput),
    },
  };
}

export type PgBouncerResult = Awaited<ReturnType<typeof throughPgBouncer>>;
