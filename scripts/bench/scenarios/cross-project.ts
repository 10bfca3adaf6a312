/**
 * Scenario 3, what the project lock costs one project: 50 generations at once over 50
 * projects against 50 at one project, at latency 0 (server A) and 500 ms (server B),
 * alternating which goes first; and the same at 500 ms in this process, calling the app's
 * `generateScene` directly on the bench's database (no HTTP, no web stack): the lock
 * pattern's own price, apart from what one busy server process adds to it.
 */
import { randomUUID } from "node:crypto";

import { openDatabase, type Database } from "~/server/db";
import { simulatedModelCall } from "~/server/services/brain/model";
import { generateScene } from "~/server/services/generation/generate-scene";

import type { NextServer } from "../../lib/next-app";
import { median } from "../../lib/stats";
import { fixedFlow } from "../calls";
import { Errors } from "../errors";
import { burst, type BurstResult } from "../load";
import { projectWithHistory } from "../sql/capture";
import { appDefaults, SLOW_MS } from "../settings";

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

type InProcessBurst = Awaited<ReturnType<typeof inProcessBurst>>;

async function inProcessBurst(db: Database, projects: number) {
  const owned: { userId: string; projectId: string }[] = [];
  for (let index = 0; index < projects; index++) owned.push(await projectWithHistory(db, 1));
  const modelCall = simulatedModelCall(SLOW_MS);
  const started = performance.now();
  const outcomes = await Promise.allSettled(
    Array.from({ length: S3.n }, (_, index) =>
      generateScene(db, { ...owned[index % owned.length]!, prompt: `Scene ${index}`, requestId: randomUUID() }, { modelCall }),
    ),
  );
  const wallMs = performance.now() - started;
  const answered = outcomes.filter((outcome) => outcome.status === "fulfilled" && outcome.value.assistantMessage.status === "success").length;
  return { throughput: (answered / wallMs) * 1000, wallMs, failed: S3.n - answered };
}

/** Scenario 3 at SLOW_MS without HTTP: a pool of the app's default size in this process, whatever the shell sets. */
async function measureInProcess(url: string, reps: number) {
  const { db, close } = openDatabase(url, { max: appDefaults.DATABASE_POOL_MAX });
  try {
    const cross: InProcessBurst[] = [];
    const same: InProcessBurst[] = [];
    for (let rep = 0; rep < reps; rep++) {
      if (rep % 2 === 0) {
        cross.push(await inProcessBurst(db, S3.n));
        same.push(await inProcessBurst(db, 1));
      } else {
        same.push(await inProcessBurst(db, 1));
        cross.push(await inProcessBurst(db, S3.n));
      }
    }
    const side = (runs: InProcessBurst[]) => ({
      throughput: median(runs.map((r) => r.throughput)),
      wallMs: median(runs.map((r) => r.wallMs)),
      failed: runs.reduce((sum, r) => sum + r.failed, 0),
    });
    const out = { cross: side(cross), same: side(same) };
    return { ...out, ratio: out.same.throughput / out.cross.throughput };
  } finally {
    await close();
  }
}

export async function crossProject(url: string, a: NextServer, b: NextServer) {
  return { at0: await measure(a, S3.reps0), at500: await measure(b, S3.reps500), inProcess: await measureInProcess(url, S3.reps500) };
}

export type CrossProjectResult = Awaited<ReturnType<typeof crossProject>>;
export type CrossProjectSide = CrossProjectResult["at0"];
