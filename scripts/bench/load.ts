/**
 * The two load shapes every HTTP scenario is made of: a closed loop (clients that send the
 * next call as soon as the last one answers) and a burst (n calls fired at once, with a
 * bystander reading meanwhile, to show what the burst does to everyone else).
 */
import { performance } from "node:perf_hooks";

import { closedLoop, mapLimit } from "../lib/concurrency";
import type { NextServer } from "../lib/next-app";
import { median, summarize, type LatencySummary } from "../lib/stats";
import { createProject, fixedFlow, newUser, usersWithProjects, type Call } from "./calls";
import { Errors } from "./errors";

export interface SteadyResult {
  latency: LatencySummary;
  /** Every answered call's latency (ms), for the distribution chart. */
  latencies: number[];
  throughput: number;
  errors: Errors;
  /** Mean response body size. */
  bytes: number;
}

/** A closed loop: `clients` users, each on its own project, `total` calls in all. */
export async function steadyLoad(server: NextServer, call: Call, { clients, total }: { clients: number; total: number }): Promise<SteadyResult> {
  const users = await usersWithProjects(server, clients);
  const latencies: number[] = [];
  const errors = new Errors();
  let bytes = 0;
  const { wallMs } = await closedLoop({
    concurrency: clients,
    total,
    deadline: Date.now() + 60_000,
    task: async (index, worker) => {
      const { user, projectId } = users[worker] ?? users[0]!;
      const result = await call(user, projectId, index);
      errors.add(result);
      bytes += result.bytes;
      if (result.ok) latencies.push(result.ms);
    },
  });
  return { latency: summarize(latencies), latencies, throughput: latencies.length / (wallMs / 1000), errors, bytes: bytes / total };
}

/** Runs of one closed loop: the medians of their p50, p99 and throughput, and all their errors. */
export function summarizeSteady(results: readonly SteadyResult[]) {
  return {
    p50: median(results.map((r) => r.latency.p50)),
    p99: median(results.map((r) => r.latency.p99)),
    throughput: median(results.map((r) => r.throughput)),
    errors: Errors.of(results),
  };
}

export interface BurstResult {
  wallMs: number;
  latency: LatencySummary;
  errors: Errors;
  /** Latency of an unrelated read (another user's storyboard) polled during the burst. */
  probe: LatencySummary;
}

/**
 * `n` calls fired at once over `projects` projects of one user (call i → project i mod
 * projects); the wall time runs from the first send to the last answer. Meanwhile another
 * user polls its own storyboard, to show what the burst does to everyone else.
 */
export async function burst(
  server: NextServer,
  call: Call,
  { n, projects, pregenerate = false }: { n: number; projects: number; pregenerate?: boolean },
): Promise<BurstResult> {
  const user = newUser(server);
  // The first request alone: it is the one that gets the session cookie all others reuse.
  const first = await createProject(user);
  const projectIds = [first, ...(await mapLimit(Array.from({ length: projects - 1 }), 25, () => createProject(user)))];
  if (pregenerate) {
    // One generation per project first, so every measured one does the same work (no welcome reset).
    await mapLimit(projectIds, 25, (projectId, index) => fixedFlow(user, projectId, -1 - index));
  }
  const bystander = newUser(server);
  const bystanderProject = await createProject(bystander);

  const latencies: number[] = [];
  const probes: number[] = [];
  const errors = new Errors();
  let done = false;
  const probing = (async () => {
    for (let i = 0; i < 5000 && !done; i++) {
      const read = await bystander.query("generation.getProjectScenes", { projectId: bystanderProject });
      if (read.ok) probes.push(read.ms);
    }
  })();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: n }, async (_, index) => {
      const result = await call(user, projectIds[index % projects] ?? "", index);
      errors.add(result);
      if (result.ok) latencies.push(result.ms);
    }),
  );
  const wallMs = performance.now() - started;
  done = true;
  await probing;
  return { wallMs, latency: summarize(latencies), errors, probe: summarize(probes) };
}
