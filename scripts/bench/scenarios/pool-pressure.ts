/**
 * Scenario 4, a burst bigger than the pool: 200 users on their own projects, each sending
 * one generation at the same moment to server A (pool of 10), three rounds; and the
 * server's memory (RSS) after each round.
 */
import { performance } from "node:perf_hooks";

import type { NextServer } from "../../lib/next-app";
import { median, summarize, type LatencySummary } from "../../lib/stats";
import { fixedFlow, usersWithProjects } from "../calls";
import { Errors } from "../errors";
import { serverMemory, type ProcessMemory } from "../memory";

export const S4 = { n: 200, rounds: 3 };

interface Round {
  wallMs: number;
  latency: LatencySummary;
  errors: Errors;
  /** Server A's memory right after the round's last answer. */
  memory: ProcessMemory | undefined;
}

export async function poolPressure(a: NextServer) {
  const users = await usersWithProjects(a, S4.n);
  const before = serverMemory(a.pid);
  const rounds: Round[] = [];
  for (let round = 0; round < S4.rounds; round++) {
    const latencies: number[] = [];
    const errors = new Errors();
    const started = performance.now();
    await Promise.all(
      users.map(async ({ user, projectId }, index) => {
        const result = await fixedFlow(user, projectId, index);
        errors.add(result);
        if (result.ok) latencies.push(result.ms);
      }),
    );
    rounds.push({ wallMs: performance.now() - started, latency: summarize(latencies), errors, memory: serverMemory(a.pid) });
  }
  return {
    rounds,
    errors: Errors.of(rounds),
    p99: median(rounds.map((r) => r.latency.p99)),
    p50: median(rounds.map((r) => r.latency.p50)),
    throughput: median(rounds.map((r) => (r.latency.n / r.wallMs) * 1000)),
    wallMs: median(rounds.map((r) => r.wallMs)),
    /** Server A's memory before the first round (after the scenarios before this one). */
    memoryBefore: before,
    /** After the last round. */
    memoryAfter: rounds.at(-1)?.memory,
  };
}

export type PoolPressureResult = Awaited<ReturnType<typeof poolPressure>>;
