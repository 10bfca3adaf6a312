/**
 * Tools for forcing an interleaving instead of hoping for one: a pause point that
 * stands in for the model call, and a gate connection that holds a project's row lock
 * until the requests under test are queued behind it.
 */
import { setTimeout as delay } from "node:timers/promises";

import { inject } from "vitest";
import postgres from "postgres";

import type { ModelCall } from "~/server/services/generation/scene-generator";

export interface PausePoint {
  modelCall: ModelCall;
  /** Resolves when the request has reached the model call (claim done, project read). */
  reached: Promise<void>;
  release: () => void;
}

export function pausePoint(): PausePoint {
  let markReached!: () => void;
  let release!: () => void;
  const reached = new Promise<void>((resolve) => (markReached = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  return {
    modelCall: async () => {
      markReached();
      await released;
    },
    reached,
    release,
  };
}

export interface Gate {
  /** Resolves, with their backend pids, once `count` backends wait (directly or queued) behind the gate. */
  waitUntilBlocked: (count: number, timeoutMs?: number) => Promise<number[]>;
  release: () => Promise<void>;
}

/** Opens a transaction on its own connection and locks the project row `FOR UPDATE`. */
export async function holdProjectLock(projectId: string): Promise<Gate> {
  const sql = postgres(inject("databaseUrl"), { max: 2, onnotice: () => undefined });
  const gate = await sql.reserve();
  await gate`begin`;
  await gate`select id from projects where id = ${projectId} for update`;
  const [{ pid }] = await gate<[{ pid: number }]>`select pg_backend_pid() as pid`;

  const blockedPids = async () => {
    const rows = await sql<{ pid: number }[]>`
      with recursive blocked(pid) as (
        select pid from pg_stat_activity where ${pid}::int = any(pg_blocking_pids(pid))
        union
        select a.pid from pg_stat_activity a join blocked b on b.pid = any(pg_blocking_pids(a.pid))
      )
      select pid from blocked`;
    return rows.map((row) => row.pid);
  };

  return {
    waitUntilBlocked: async (count, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const pids = await blockedPids();
        if (pids.length >= count) return pids;
        if (Date.now() > deadline) throw new Error(`fewer than ${count} backends blocked behind the gate`);
        await delay(5);
      }
    },
    release: async () => {
      await gate`commit`;
      gate.release();
      await sql.end();
    },
  };
}

/**
 * Two requests, each paused at its model call, released in a forced order:
 * - "sequential": both have started (and read the project); A completes, then B.
 * - "gated": the project row is locked by a gate; both run up to the lock and queue
 *   behind it (checked with pg_blocking_pids); then the gate commits and they race.
 */
export type Schedule = "sequential" | "gated";

export async function raceTwo(
  projectId: string,
  schedule: Schedule,
  start: (modelCall: ModelCall, name: "A" | "B") => Promise<unknown>,
) {
  const [pauseA, pauseB] = [pausePoint(), pausePoint()];
  const requestA = start(pauseA.modelCall, "A");
  const requestB = start(pauseB.modelCall, "B");
  await Promise.all([pauseA.reached, pauseB.reached]);

  if (schedule === "sequential") {
    pauseA.release();
    await requestA;
    pauseB.release();
    await requestB;
    return;
  }
  const gate = await holdProjectLock(projectId);
  pauseA.release();
  pauseB.release();
  await gate.waitUntilBlocked(2);
  await gate.release();
  await Promise.all([requestA, requestB]);
}
