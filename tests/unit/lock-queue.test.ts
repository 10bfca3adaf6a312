import { describe, expect, it } from "vitest";

import { reconnectDelaySeconds } from "~/server/db/drivers/postgres-js";
import { LockQueue, lockWorkCapacity, MAX_WAITING_PER_KEY, PER_KEY_TURNS } from "~/server/db/lock-queue";

const settled = async (promise: Promise<unknown>) => {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return done;
};

describe("the lock queue", () => {
  it("lets PER_KEY_TURNS requests for one key at the database and queues the rest in order", async () => {
    const queue = new LockQueue(10);
    const turns = await Promise.all(Array.from({ length: PER_KEY_TURNS }, () => queue.take("projects:p", 1000)));
    const order: number[] = [];
    const third = queue.take("projects:p", 1000).then((turn) => (order.push(3), turn));
    const fourth = queue.take("projects:p", 1000).then((turn) => (order.push(4), turn));
    expect(queue.waitingFor("projects:p")).toBe(2);
    expect(await settled(third)).toBe(false);

    turns[0]?.release();
    turns[0]?.release(); // idempotent: gives one turn, not two
    expect(await settled(third)).toBe(true);
    expect(await settled(fourth)).toBe(false);
    turns[1]?.release();
    (await fourth).release();
    (await third).release();
    expect(order).toEqual([3, 4]);
    expect(queue.waitingFor("projects:p")).toBe(0);
  });

  it("says whether a turn came at once (the whole budget left) or after a wait (less of it)", async () => {
    const queue = new LockQueue(10);
    const first = await queue.take("projects:p", 1000);
    const second = await queue.take("projects:p", 1000);
    expect([first, second].map(({ immediate, remainingMs }) => ({ immediate, remainingMs }))).toEqual([
      { immediate: true, remainingMs: 1000 },
      { immediate: true, remainingMs: 1000 },
    ]);
    const third = queue.take("projects:p", 1000);
    first.release();
    const queued = await third;
    expect(queued.immediate).toBe(false);
    expect(queued.remainingMs).toBeLessThanOrEqual(1000);
  });

  it("does not make other keys wait", async () => {
    const queue = new LockQueue(10);
    await Promise.all(Array.from({ length: PER_KEY_TURNS }, () => queue.take("projects:p", 1000)));
    void queue.take("projects:p", 1000);
    expect(await settled(queue.take("projects:q", 1000))).toBe(true);
  });

  it("fails like lock_timeout (55P03) when the turn does not come within the budget, and frees its place", async () => {
    const queue = new LockQueue(10);
    await Promise.all(Array.from({ length: PER_KEY_TURNS }, () => queue.take("projects:p", 1000)));
    const error = await queue.take("projects:p", 20).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toMatchObject({ code: "55P03", name: "LockTurnTimeoutError" });
    expect(queue.waitingFor("projects:p")).toBe(0);
  });

  it("answers busy at once when a key already has MAX_WAITING_PER_KEY waiting", async () => {
    const queue = new LockQueue(10);
    await Promise.all(Array.from({ length: PER_KEY_TURNS }, () => queue.take("projects:p", 1000)));
    const waiting = Array.from({ length: MAX_WAITING_PER_KEY }, () => queue.take("projects:p", 60_000).catch(() => undefined));
    // With a 60 s budget, only the limit can answer before the test's timeout.
    await expect(queue.take("projects:p", 60_000)).rejects.toMatchObject({ code: "55P03" });
    expect(waiting).toHaveLength(MAX_WAITING_PER_KEY);
  });

  it("keeps a reserve of the pool for work that locks nothing", async () => {
    expect([1, 2, 4, 10, 20].map(lockWorkCapacity)).toEqual([1, 1, 3, 8, 15]);
    const queue = new LockQueue(4);
    const turns = await Promise.all(["a", "b", "c"].map((key) => queue.take(key, 1000)));
    const fourth = queue.take("d", 1000);
    expect(await settled(fourth)).toBe(false);
    turns[0]?.release();
    expect(await settled(fourth)).toBe(true);
  });

  it("hands what is left of the budget to the database's lock_timeout", async () => {
    const queue = new LockQueue(10);
    const turn = await queue.take("projects:p", 5000);
    expect(turn.remainingMs).toBeGreaterThan(4900);
    expect(turn.remainingMs).toBeLessThanOrEqual(5000);
  });
});

describe("reconnect backoff", () => {
  it("grows from 25–50 ms and never passes 1 s (postgres.js's default reaches 20 s)", () => {
    const delays = Array.from({ length: 40 }, (_, retries) => [reconnectDelaySeconds(retries, () => 0), reconnectDelaySeconds(retries, () => 1)]);
    expect(delays[0]).toEqual([0.025, 0.05]);
    expect(delays.every(([low = 0, high = 0]) => low <= high && high <= 1)).toBe(true);
    expect(delays[39]).toEqual([0.5, 1]);
  });
});
