/**
 * Scenario 2, where the lock is held: 20 generations fired at once at one project at
 * 500 ms model latency — the fixed flow (server B), the lab's `locked` (the app's claim and
 * apply) and the anti-pattern `lock-across-model-call` (server A) — with a bystander's read.
 */
import type { NextServer } from "../../lib/next-app";
import { median } from "../../lib/stats";
import { fixedFlow, labFlow, type Call } from "../calls";
import { Errors } from "../errors";
import { burst, steadyLoad, type BurstResult } from "../load";
import { SLOW_MS } from "../settings";

export const S2 = { n: 20, reps: { fixed: 5, locked: 5, anti: 3 } };
export const S2_VARIANTS = ["fixed", "locked", "anti"] as const;
export type S2Variant = (typeof S2_VARIANTS)[number];

function summary(results: BurstResult[]) {
  return {
    wallMs: median(results.map((r) => r.wallMs)),
    /** Per-call latency inside a burst, the median over the runs. */
    p50: median(results.map((r) => r.latency.p50)),
    p95: median(results.map((r) => r.latency.p95)),
    probeP50: median(results.map((r) => r.probe.p50)),
    probeMax: Math.max(...results.map((r) => r.probe.max)),
    errors: Errors.of(results),
    walls: results.map((r) => r.wallMs),
  };
}

export async function lockScope(a: NextServer, b: NextServer) {
  const variants: Record<S2Variant, { server: NextServer; call: Call; reps: number }> = {
    fixed: { server: b, call: fixedFlow, reps: S2.reps.fixed },
    locked: { server: a, call: labFlow("locked", SLOW_MS), reps: S2.reps.locked },
    anti: { server: a, call: labFlow("lock-across-model-call", SLOW_MS), reps: S2.reps.anti },
  };
  // Server B's first requests (not measured): it has served nothing yet.
  await steadyLoad(b, fixedFlow, { clients: 40, total: 200 });
  await burst(b, fixedFlow, { n: S2.n, projects: 1 });
  const results: Record<S2Variant, BurstResult[]> = { fixed: [], locked: [], anti: [] };
  for (const name of S2_VARIANTS) {
    const { server, call, reps } = variants[name];
    for (let rep = 0; rep < reps; rep++) results[name].push(await burst(server, call, { n: S2.n, projects: 1 }));
  }
  return { fixed: summary(results.fixed), locked: summary(results.locked), anti: summary(results.anti) };
}

export type LockScopeResult = Awaited<ReturnType<typeof lockScope>>;
