/**
 * Issue 12, item 2: one contended row must not slow everyone else down. A session of its
 * own (race-kit's row-lock gate, like psql) holds one project row, or separately one scene
 * row, `FOR UPDATE` for HOLD_MS; thirty requests keep waiting for it (each one that gives
 * up "busy" is replaced at once); meanwhile another user works: lists projects, reads
 * scenes and chat, generates, creates projects. Each case prints that user's latencies.
 *
 * Failed before the fix (waiters held every pooled connection): the other user's first
 * requests finished only when waiters gave up — after lock_timeout (5 s) for generations,
 * after the holder's 15 s for scene.update, which had no lock_timeout at all. Asserted
 * without timings: the other user's first round finishes while no waiter has settled,
 * and at most two waiters are ever at the database.
 */
import { randomUUID } from "node:crypto";

import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { openRowLockGate, type GateLock, type RowLockGate } from "race-kit";

import { PER_KEY_TURNS } from "~/server/db/lock-queue";
import { callerFor } from "../support/callers";
import { inspectProject } from "../support/invariants";
import { directDatabaseUrl } from "../support/race";

const HOLD_MS = 15_000;
const WAITERS = 30;
const OTHER_USER_LOOPS = 2;

type Caller = ReturnType<typeof callerFor>;

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

function outcomeOf(error: unknown) {
  return error instanceof TRPCError ? error.code : String(error);
}

/** One round of what another user does, each call timed. */
async function otherUserRound(caller: Caller, projectId: string, record: (name: string, ms: number) => void) {
  const calls: [string, () => Promise<unknown>][] = [
    ["project.list", () => caller.project.list()],
    ["generation.getProjectScenes", () => caller.generation.getProjectScenes({ projectId })],
    ["generation.getChatMessages", () => caller.generation.getChatMessages({ projectId })],
    ["generation.generateScene", () => caller.generation.generateScene({ projectId, prompt: "A calm outro", requestId: randomUUID() })],
    ["project.create", () => caller.project.create({ title: "Side project", requestId: randomUUID() })],
  ];
  for (const [name, call] of calls) {
    const started = performance.now();
    await call();
    record(name, performance.now() - started);
  }
}

async function underContention(lock: GateLock, startWaiter: () => Promise<unknown>) {
  const gate: RowLockGate = await openRowLockGate({
    url: directDatabaseUrl(),
    lock,
    applicationName: "contention-holder",
    idleInTransactionTimeoutMs: HOLD_MS * 2,
  });
  const releaseAt = performance.now() + HOLD_MS;
  let settledWaiters = 0;
  const waiterOutcomes: Record<string, number> = {};
  const keepWaiting = async () => {
    while (performance.now() < releaseAt) {
      const outcome = await startWaiter().then(() => "ok", outcomeOf);
      settledWaiters++;
      waiterOutcomes[outcome] = (waiterOutcomes[outcome] ?? 0) + 1;
    }
  };
  const waiters = Array.from({ length: WAITERS }, keepWaiting);
  await gate.waitUntilBlocked(PER_KEY_TURNS);

  const latencies: number[] = [];
  const byProcedure: Record<string, number[]> = {};
  const record = (name: string, ms: number) => {
    latencies.push(ms);
    (byProcedure[name] ??= []).push(ms);
  };
  const other = callerFor();
  const started = performance.now();
  const { id: otherProjectId } = await other.project.create({ title: "Other user's project" });
  record("project.create", performance.now() - started);
  await otherUserRound(other, otherProjectId, record);
  const settledDuringFirstRound = settledWaiters;
  const blockedAtDatabase = (await gate.blockedPids()).length;
  const loops = Array.from({ length: OTHER_USER_LOOPS }, async () => {
    while (performance.now() < releaseAt) await otherUserRound(other, otherProjectId, record);
  });
  await Promise.all(loops);

  await gate.release();
  await Promise.all(waiters);

  latencies.sort((a, b) => a - b);
  const summary = {
    requests: latencies.length,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? NaN,
  };
  return { summary, byProcedure, waiterOutcomes, blockedAtDatabase, settledDuringFirstRound, settledWaiters, otherProjectId };
}

function print(label: string, result: Awaited<ReturnType<typeof underContention>>) {
  const { summary, byProcedure, waiterOutcomes, blockedAtDatabase } = result;
  const perProcedure = Object.entries(byProcedure)
    .map(([name, values]) => `${name} max ${Math.round(Math.max(...values))} ms`)
    .join(", ");
  console.log(
    `[contention] ${label}, held ${HOLD_MS / 1000} s, ${WAITERS} waiting: the other user's ${summary.requests} requests ` +
      `p50 ${summary.p50.toFixed(1)} ms, p99 ${summary.p99.toFixed(1)} ms, max ${summary.max.toFixed(1)} ms (${perProcedure}); ` +
      `waiters at the database ${blockedAtDatabase}; waiter outcomes ${JSON.stringify(waiterOutcomes)}`,
  );
}

describe("one contended row does not slow other users down (issue 12, item 2)", () => {
  it("a project locked for 15 s with 30 generations waiting on it", { timeout: HOLD_MS * 3 }, async () => {
    const owner = callerFor();
    const project = await owner.project.create({ title: "Contended" });
    const result = await underContention({ table: "projects", column: "id", value: project.id }, () =>
      owner.generation.generateScene({ projectId: project.id, prompt: "One more scene", requestId: randomUUID() }),
    );
    print("one project", result);

    expect(result.settledDuringFirstRound).toBe(0);
    expect(result.blockedAtDatabase).toBeLessThanOrEqual(PER_KEY_TURNS);
    expect(result.waiterOutcomes.TOO_MANY_REQUESTS).toBeGreaterThan(0);
    expect(Object.keys(result.waiterOutcomes).every((outcome) => outcome === "ok" || outcome === "TOO_MANY_REQUESTS")).toBe(true);
    expect((await inspectProject(project.id)).violations).toEqual([]);
    expect((await inspectProject(result.otherProjectId)).violations).toEqual([]);
  });

  it("a scene row locked for 15 s with 30 scene.update calls waiting on it", { timeout: HOLD_MS * 3 }, async () => {
    const owner = callerFor();
    const project = await owner.project.create({ title: "Contended scene" });
    const { scene } = await owner.generation.generateScene({ projectId: project.id, prompt: "A red intro", requestId: randomUUID() });
    if (!scene) throw new Error("the generation added a scene");
    const result = await underContention({ table: "scenes", column: "id", value: scene.id }, () =>
      owner.scene.update({ sceneId: scene.id, expectedVersion: scene.version, patch: { title: "Edited while locked" } }),
    );
    print("one scene row", result);

    expect(result.settledDuringFirstRound).toBe(0);
    expect(result.blockedAtDatabase).toBeLessThanOrEqual(PER_KEY_TURNS);
    expect(result.waiterOutcomes.TOO_MANY_REQUESTS).toBeGreaterThan(0);
    // After the release one waiter saves at the version it loaded; the others see it changed.
    expect(result.waiterOutcomes.ok ?? 0).toBeLessThanOrEqual(1);
    expect((await inspectProject(project.id)).violations).toEqual([]);
  });
});
