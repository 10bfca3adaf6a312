/**
 * Scenario 5, the database limit: the SQL a generation sends, captured from the app's
 * services (../sql/capture.ts) and replayed straight to PostgreSQL with postgres.js — as
 * many loops as the app's pool has connections, each on its own projects, for a fixed
 * time — prepared and unprepared, whole and its apply step alone; beside them the HTTP
 * path's floor, a one-query tRPC call (`project.get`) at the same load, and the floor of any
 * Node web stack for it: a bare `node:http` server running the same query with the same
 * driver (../../lib/anchor-server.ts); and the app's two calls with a second server process.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";

import type postgres from "postgres";

import { findFreePort } from "~/server/db/embedded";

import { startAnchorServer } from "../../lib/anchor";
import { closedLoop, mapLimit } from "../../lib/concurrency";
import { startNextServer, type NextServer } from "../../lib/next-app";
import { median, summarize } from "../../lib/stats";
import { httpRequest } from "../../lib/trpc-http";
import { agent, createProject, fixedFlow, newUser, usersWithProjects } from "../calls";
import { appEnv } from "../servers";
import { appDefaults } from "../settings";
import type { Captured } from "../sql/capture";
import { replay, replayClient } from "../sql/replay";

export const S5 = {
  workers: appDefaults.DATABASE_POOL_MAX,
  seconds: 2,
  reps: 2,
  /** Like scenario 1's projects (300 calls over 10): a loop moves to a new project every 20 operations. */
  perProject: 20,
  /** Apply steps readied (their generation's statements before it replayed, untimed) per loop and run. */
  appliesPerLoop: 150,
};

type RawProject = { userId: string; projectId: string };

interface LoopResult {
  rate: number;
  latency: ReturnType<typeof summarize>;
}

/** Projects made in bulk, outside the timing: not welcome projects, so no replay pays a reset. */
async function makeProjects(sql: postgres.Sql, count: number): Promise<RawProject[]> {
  const owners = Array.from({ length: count }, () => randomUUID());
  await sql`insert into users ${sql(owners.map((id) => ({ id })))}`;
  const rows = await sql<{ id: string; owner_id: string }[]>`
    insert into projects ${sql(owners.map((owner_id) => ({ owner_id, title: "Raw bench", is_welcome: false })))}
    returning id, owner_id`;
  return rows.map((row) => ({ userId: row.owner_id, projectId: row.id }));
}

const projectFor = (pool: RawProject[], worker: number, iteration: number) =>
  pool[(worker + S5.workers * Math.floor(iteration / S5.perProject)) % pool.length] ?? pool[0]!;

/** One reserved connection per loop, so a replayed transaction stays on its connection. */
async function withConnections<T>(sql: postgres.Sql, body: (connections: postgres.ReservedSql[]) => Promise<T>) {
  const connections = await Promise.all(Array.from({ length: S5.workers }, () => sql.reserve()));
  try {
    return await body(connections);
  } finally {
    for (const connection of connections) connection.release();
  }
}

/**
 * `S5.workers` loops for `S5.seconds`, loop w running `body(connection w, w, iteration)` until
 * the time is up or (given `perLoop`) it has run that many; rate = operations / wall time.
 */
async function timedLoops(
  connections: postgres.ReservedSql[],
  body: (connection: postgres.ReservedSql, worker: number, iteration: number) => Promise<unknown>,
  perLoop = Number.MAX_SAFE_INTEGER,
): Promise<{ rate: number; latencies: number[] }> {
  const latencies: number[] = [];
  const deadline = Date.now() + S5.seconds * 1000;
  const started = performance.now();
  await Promise.all(
    connections.map((connection, worker) =>
      closedLoop({
        concurrency: 1,
        total: perLoop,
        deadline,
        task: async (iteration) => {
          const begun = performance.now();
          await body(connection, worker, iteration);
          latencies.push(performance.now() - begun);
        },
      }),
    ),
  );
  return { rate: latencies.length / ((performance.now() - started) / 1000), latencies };
}

const summaryOf = (runs: { rate: number; latencies: number[] }[]): LoopResult => ({
  rate: median(runs.map((run) => run.rate)),
  latency: summarize(runs.flatMap((run) => run.latencies)),
});

export async function databaseLimit(url: string, a: NextServer, captured: Captured) {
  const { template, applyFrom } = captured;
  const prepared = replayClient(url, { max: S5.workers, prepare: true });
  const unprepared = replayClient(url, { max: S5.workers, prepare: false });
  const inputsFor = (project: RawProject) => ({ ...project, requestId: randomUUID() });
  try {
    const wholeGeneration = async (sql: postgres.Sql, prepare: boolean) => {
      const runs = [];
      for (let rep = 0; rep < S5.reps; rep++) {
        const pool = await makeProjects(prepared, S5.workers * 60);
        runs.push(
          await withConnections(sql, (connections) =>
            timedLoops(connections, (connection, worker, iteration) =>
              replay(connection, template, inputsFor(projectFor(pool, worker, iteration)), { prepare }),
            ),
          ),
        );
      }
      return summaryOf(runs);
    };

    // The apply step alone: its generation's earlier statements are replayed first, untimed,
    // for every apply the run may time; each timed apply then goes on from their answers.
    const applyStep = async () => {
      const runs = [];
      for (let rep = 0; rep < S5.reps; rep++) {
        const pool = await makeProjects(prepared, S5.workers * Math.ceil(S5.appliesPerLoop / S5.perProject));
        runs.push(
          await withConnections(prepared, async (connections) => {
            const readied = await Promise.all(
              connections.map(async (connection, worker) => {
                const states = [];
                for (let iteration = 0; iteration < S5.appliesPerLoop; iteration++) {
                  const inputs = inputsFor(projectFor(pool, worker, iteration));
                  states.push({ inputs, answers: await replay(connection, template, inputs, { prepare: true, to: applyFrom }) });
                }
                return states;
              }),
            );
            return timedLoops(
              connections,
              (connection, worker, iteration) => {
                const state = readied[worker]?.[iteration];
                return state ? replay(connection, template, state.inputs, { prepare: true, from: applyFrom, answers: state.answers }) : Promise.resolve();
              },
              S5.appliesPerLoop,
            );
          }),
        );
      }
      return summaryOf(runs);
    };

    // Warm-up, not measured: connections, prepared statements, the server's caches.
    const warmUp = await makeProjects(prepared, S5.workers);
    for (const [sql, prepare] of [
      [prepared, true],
      [unprepared, false],
    ] as const) {
      await withConnections(sql, (connections) =>
        Promise.all(
          connections.map(async (connection, worker) => {
            for (let i = 0; i < 20; i++) await replay(connection, template, inputsFor(warmUp[worker] ?? warmUp[0]!), { prepare });
          }),
        ),
      );
    }
    const apply = await applyStep();
    const whole = await wholeGeneration(prepared, true);
    const wholeUnprepared = await wholeGeneration(unprepared, false);

    // The HTTP path's floor: one tRPC call doing one query, same clients and load shape; and
    // the same query behind a bare node:http server (no Next.js, session or tRPC).
    const users = await usersWithProjects(a, S5.workers);
    const owners = await Promise.all(
      users.map(async ({ user, projectId }) => (await user.query<{ ownerId: string }>("project.get", { projectId })).data?.ownerId ?? ""),
    );
    const httpFloor = await rateOf(async (worker) => {
      const { user, projectId } = users[worker] ?? users[0]!;
      const result = await user.query("project.get", { projectId });
      return result.ok ? result.ms : undefined;
    });
    // Between the two: a Next.js route handler doing one query (`select 1`), and Next.js's own
    // floor, a route handler doing nothing (`/api/health/live`).
    const get = (base: string, route: string) => async () => {
      const result = await httpRequest(agent, new URL(route, base));
      return result.status === 200 ? result.ms : undefined;
    };
    const nextRoute = await rateOf(get(a.baseUrl, "/api/health"));
    const nextEmpty = await rateOf(get(a.baseUrl, "/api/health/live"));
    const perCore = await onePerCore(url, a, users);
    const anchor = await startAnchorServer(appEnv({ DATABASE_URL: url }));
    let bareHttp: LoopResult;
    let bareEmpty: LoopResult;
    try {
      bareHttp = await rateOf(async (worker) => {
        const projectId = users[worker]?.projectId ?? "";
        const query = new URLSearchParams({ projectId, userId: owners[worker] ?? "" });
        const result = await httpRequest(agent, new URL(`/project?${query.toString()}`, anchor.baseUrl));
        return result.status === 200 ? result.ms : undefined;
      });
      bareEmpty = await rateOf(get(anchor.baseUrl, "/live"));
    } finally {
      await anchor.stop();
    }
    return {
      statements: { generation: template.statements.length, apply: template.statements.length - applyFrom },
      apply,
      wholeGeneration: whole,
      wholeGenerationUnprepared: wholeUnprepared,
      httpFloor,
      nextRoute,
      nextEmpty,
      bareHttp,
      bareEmpty,
      perCore,
    };
  } finally {
    await Promise.all([prepared.end({ timeout: 5 }), unprepared.end({ timeout: 5 })]);
  }
}

/** Projects made for each generation loop: at a new one every S5.perProject calls, enough for its runs. */
const PROJECTS_PER_LOOP = 12;

/**
 * S5.workers generation loops over \`servers\` (loop w on server w mod n), each a user moving to
 * its next project every S5.perProject calls, like the replays: no project grows a long storyboard.
 */
async function generationLoops(servers: NextServer[]) {
  const loops = await mapLimit(Array.from({ length: S5.workers }), 5, async (_, worker) => {
    const user = newUser(servers[worker % servers.length] ?? servers[0]!);
    const projects: string[] = [];
    for (let i = 0; i < PROJECTS_PER_LOOP; i++) projects.push(await createProject(user));
    return { user, projects, calls: 0 };
  });
  return async (worker: number) => {
    const loop = loops[worker] ?? loops[0]!;
    const projectId = loop.projects[Math.floor(loop.calls / S5.perProject) % loop.projects.length] ?? loop.projects[0]!;
    const result = await fixedFlow(loop.user, projectId, loop.calls++);
    return result.ok ? result.ms : undefined;
  };
}

/**
 * The app with one server process per core of this 2-core machine, as a deployment would run
 * it: a second \`next start\` with server A's settings on the same database, and the same loops
 * split evenly between the two. The generation is measured on server A alone the same way, so
 * the two rates compare like for like.
 */
async function onePerCore(url: string, a: NextServer, usersOnA: Awaited<ReturnType<typeof usersWithProjects>>) {
  const second = await startNextServer({
    name: "A2",
    port: await findFreePort(),
    env: appEnv({ DATABASE_URL: url, SESSION_SECRET: randomBytes(32).toString("base64url"), RACE_LAB: "1", GENERATION_LATENCY_MS: "0" }),
  });
  try {
    const half = Math.floor(S5.workers / 2);
    const readers = [...usersOnA.slice(0, S5.workers - half), ...(await usersWithProjects(second, half))];
    return {
      generateSceneOneProcess: await rateOf(await generationLoops([a])),
      generateScene: await rateOf(await generationLoops([a, second])),
      projectGet: await rateOf(async (worker) => {
        const { user, projectId } = readers[worker] ?? readers[0]!;
        const result = await user.query("project.get", { projectId });
        return result.ok ? result.ms : undefined;
      }),
    };
  } finally {
    await second.stop();
  }
}

/**
 * Calls per second of `call` from S5.workers closed loops for S5.seconds, the median of S5.reps
 * runs after one warm-up run; `call` answers its latency, or undefined when it failed.
 */
async function rateOf(call: (worker: number) => Promise<number | undefined>): Promise<LoopResult> {
  const rates: number[] = [];
  const latencies: number[] = [];
  for (let rep = 0; rep < S5.reps + 1; rep++) {
    let done = 0;
    const { wallMs } = await closedLoop({
      concurrency: S5.workers,
      total: Number.MAX_SAFE_INTEGER,
      deadline: Date.now() + S5.seconds * 1000,
      task: async (_, worker) => {
        const latency = await call(worker);
        if (latency === undefined) return;
        done++;
        if (rep > 0) latencies.push(latency);
      },
    });
    if (rep > 0) rates.push(done / (wallMs / 1000)); // the first round warms the route up
  }
  return { rate: median(rates), latency: summarize(latencies) };
}

export type DatabaseLimitResult = Awaited<ReturnType<typeof databaseLimit>>;
