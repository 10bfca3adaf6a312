/**
 * Scenario 3, what the project lock costs one project: 50 generations at once over 50
 * projects against 50 at one project, at latency 0 (server A) and 500 ms (server B),
 * alternating which goes first.
 */
import type { NextServer } from "../../lib/next-app";
import { median } from "../../lib/stats";
import { fixedFlow } from "../calls";
import { Errors } from "../errors";
import { burst, type BurstResult } from "../load";

export const S3 = { n: 50, reps0: 5, reps500: 3 };

function summary(results: BurstResult[]) {
  return {
    throughput: median(results.map((r) => (r.latency.n / r.wallMs) * 1000)),
    wallMs: median(results.map((r) => r.wallMs)),
    p99: median(results.map((r) => r.latency.p99)),
    errors: Errors.of(results),
  };
}

async function measure(server: NextServer, reps: number) {
  const cross: BurstResult[] = [];
  const same: BurstResult[] = [];
  const spread = () => burst(server, fixedFlow, { n: S3.n, projects: S3.n, pregenerate: true });
  const oneProject = () => burst(server, fixedFlow, { n: S3.n, projects: 1, pregenerate: true });
  for (let rep = 0; rep < reps; rep++) {
    // Alternate which goes first, so drift does not favour one.
    if (rep % 2 === 0) {
      cross.push(await spread());
      same.push(await oneProject());
    } else {
      same.push(await oneProject());
      cross.push(await spread());
    }
  }
  const out = { cross: summary(cross), same: summary(same) };
  return { ...out, ratio: out.same.throughput / out.cross.throughput };
}

export async function crossProject(a: NextServer, b: NextServer) {
  return { at0: await measure(a, S3.reps0), at500: await measure(b, S3.reps500) };
}

export type CrossProjectResult = Awaited<ReturnType<typeof crossProject>>;
export type CrossProjectSide = CrossProjectResult["at0"];
