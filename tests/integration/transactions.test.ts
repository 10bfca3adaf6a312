import { randomUUID } from "node:crypto";

import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";

import { getDb } from "~/server/db";
import { retryDelayMs, withTransaction } from "~/server/db/tx";
import { appWith, closeApps } from "../support/app-with";
import { callerFor, expectTRPCError } from "../support/callers";
import { inspectProject } from "../support/invariants";
import { holdProjectLock } from "../support/race";

/** Shaped like Drizzle's wrapped driver error: the SQLSTATE sits on `cause.code`. */
const driverError = (code: string) => Object.assign(new Error("Failed query"), { cause: { code } });

afterEach(closeApps);

describe("withTransaction", () => {
  it.each(["40001", "40P01"])("retries the whole callback on %s", async (code) => {
    let attempts = 0;
    const result = await withTransaction(getDb(), async () => {
      attempts++;
      if (attempts < 3) throw driverError(code);
      return "done";
    });
    expect(result).toBe("done");
    expect(attempts).toBe(3);
  });

  // Issue 12: before, retries followed each other at once, so two requests that had just
  // deadlocked against each other collided again in lockstep.
  it("waits a jittered, growing time before each retry", async () => {
    expect([1, 2, 3, 4, 5, 6].map((attempt) => retryDelayMs(attempt, () => 0.999))).toEqual([9, 19, 39, 79, 159, 199]);
    expect(retryDelayMs(3, () => 0)).toBe(0);
    const draws = new Set(Array.from({ length: 50 }, () => retryDelayMs(4)));
    expect(draws.size, "random, not a fixed wait").toBeGreaterThan(5);

    vi.spyOn(Math, "random").mockReturnValue(0.999);
    const attemptedAt: number[] = [];
    await withTransaction(getDb(), async () => {
      attemptedAt.push(performance.now());
      if (attemptedAt.length < 3) throw driverError("40P01");
    });
    vi.restoreAllMocks();
    const [first = 0, second = 0, third = 0] = attemptedAt;
    expect(second - first).toBeGreaterThanOrEqual(9);
    expect(third - second).toBeGreaterThanOrEqual(19);
  });

  it("gives up after maxAttempts and surfaces the error", async () => {
    let attempts = 0;
    const run = withTransaction(
      getDb(),
      async () => {
        attempts++;
        throw driverError("40001");
      },
      { maxAttempts: 2 },
    );
    await expect(run).rejects.toThrow("Failed query");
    expect(attempts).toBe(2);
  });

  it.each(["23505", "55P03", "42P01"])("does not retry %s", async (code) => {
    let attempts = 0;
    const run = withTransaction(getDb(), async () => {
      attempts++;
      throw driverError(code);
    });
    await expect(run).rejects.toThrow();
    expect(attempts).toBe(1);
  });

  it("retries a real deadlock until one side wins", async () => {
    const db = getDb();
    const [a, b] = [await callerFor().project.create(), await callerFor().project.create()];
    let attempts = 0;
    const lockBoth = (first: string, second: string, arrived: () => void, bothArrived: Promise<void>) =>
      withTransaction(db, async (tx) => {
        attempts++;
        await tx.execute(sql`select 1 from projects where id = ${first} for update`);
        arrived();
        await bothArrived;
        await tx.execute(sql`select 1 from projects where id = ${second} for update`);
      });
    let arrivedA!: () => void;
    let arrivedB!: () => void;
    const bothArrived = Promise.all([
      new Promise<void>((resolve) => (arrivedA = resolve)),
      new Promise<void>((resolve) => (arrivedB = resolve)),
    ]).then(() => undefined);

    await Promise.all([lockBoth(a.id, b.id, () => arrivedA(), bothArrived), lockBoth(b.id, a.id, () => arrivedB(), bothArrived)]);

    expect(attempts).toBe(3);
  });
});

describe("a project that stays locked", () => {
  it("answers TOO_MANY_REQUESTS 'busy' after lock_timeout and writes nothing", async () => {
    const caller = (await appWith({ DATABASE_LOCK_TIMEOUT_MS: "300" })).callerFor(randomUUID());
    const project = await caller.project.create();
    const gate = await holdProjectLock(project.id);

    const started = performance.now();
    const error = await expectTRPCError(
      caller.generation.generateScene({ projectId: project.id, prompt: "A red intro", requestId: randomUUID() }),
      "TOO_MANY_REQUESTS",
    );
    const waited = performance.now() - started;
    await gate.release();

    console.log(`[busy] lock_timeout 300 ms → busy error after ${waited.toFixed(0)} ms`);
    expect(error.message).toMatch(/busy/i);
    expect(waited).toBeGreaterThanOrEqual(300);
    expect(await inspectProject(project.id)).toMatchObject({ messages: 0, welcomeScenes: 1, isWelcome: true });
  });
});
