/**
 * `npm run soak`: the reliability soak, bounded and on loopback only.
 *
 * Builds the app (SOAK_SKIP_BUILD=1 reuses an existing `.next` build), starts a fresh
 * embedded PostgreSQL in a temp folder and SOAK_INSTANCES (2) `next start` instances on it
 * (one build, one database, like the e2e suite; SOAK_POOLER=1 puts PgBouncer in transaction
 * mode between them and the database), then drives 50 simulated users over real HTTP:
 *
 * - 25 owners, one welcome project each, sending through the FIXED procedure
 *   `generation.generateScene` from two "tabs" (tab A on instance 1, tab B on
 *   instance 2): double-click bursts (one requestId sent twice at once), two-tab races
 *   (two requestIds at once), edits and deletes ("make scene 1 blue", "delete scene 2")
 *   racing adds, and a Retry of some failed replies (the same requestId again);
 * - 25 other users who try the owners' project ids (must answer NOT_FOUND, write nothing).
 *
 * Then it checks the app's invariants (src/lib/invariants.ts, rows read by
 * src/server/db/invariants.ts) on the whole database and on each project alone, and
 * prints the counts. It exits non-zero on any loss, duplicate, stuck exchange, 5xx or
 * unexpected error, on fewer than SOAK_MIN_GENERATIONS generations, or when the load
 * phase takes longer than 3 minutes. The servers and the database are stopped and
 * deleted on every way out (end, error, Ctrl-C, the hard deadline).
 *
 * It also reports each server's memory before the load (after a warm-up: a few generations
 * per instance) and after it: VmRSS, and the V8 heap after a full GC, asked of the server by
 * a preloaded probe (scripts/lib/server-memory.ts). Reported, not asserted: a heap that grew
 * by more than half gets a warning, never a failure.
 */
import { randomBytes, randomUUID } from "node:crypto";

import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";

import { checkInvariants, type InvariantReport } from "~/lib/invariants";
import { findFreePort } from "~/server/db/embedded";
import { loadInvariantRows } from "~/server/db/invariants";
import { migrateDatabase } from "~/server/db/migrate";
import * as schema from "~/server/db/schema";

import { createLimiter, seededRandom } from "./lib/concurrency";
import { startThrowawayPostgres } from "./lib/embedded";
import { startPgBouncer } from "./lib/pgbouncer";
import { buildUnlessReused, startNextServer, type NextServer } from "./lib/next-app";
import { ScriptRun } from "./lib/run";
import { MemoryProbe, type ServerMemory } from "./lib/server-memory";
import { table } from "./lib/stats";
import { closeAgent, createAgent, TrpcUser, type CallResult } from "./lib/trpc-http";

const OWNERS = 25;
const OTHER_USERS = 25;
const GENERATIONS_PER_PROJECT = 40; // 25 × 40 = 1000 ≥ 500
const MAX_ROUNDS_PER_PROJECT = 60;
const FOREIGN_ATTEMPTS_PER_USER = 6;
const MAX_IN_FLIGHT = 48;
const LATENCY_MS = Number(process.env.SOAK_LATENCY_MS ?? 100);
const INSTANCES = Number(process.env.SOAK_INSTANCES ?? 2);
const MIN_GENERATIONS = Number(process.env.SOAK_MIN_GENERATIONS ?? 500);
const LOAD_BOUND_MS = 180_000;
const SEED = Number(process.env.SOAK_SEED ?? 20_251_127);
/** Heap growth (after GC) above this fraction gets a warning. */
const HEAP_GROWTH_WARNING = 0.5;

interface MessageRow {
  id: string;
  status: "pending" | "building" | "success" | "error";
  sceneId: string | null;
  content: string;
}
interface Generated {
  userMessage: MessageRow;
  assistantMessage: MessageRow;
  replayed: boolean;
}

type Kind = "add" | "edit" | "delete";
interface Send {
  tab: TrpcUser;
  projectId: string;
  prompt: string;
  requestId: string;
  kind: Kind;
}

class Tally {
  requests = 0;
  byStatus = new Map<string, number>();
  unexpected = new Map<string, number>();
  serverErrors = 0;
  acceptedRequestIds = new Set<string>();
  doubleClicks = 0;
  doubleClickReplays = 0;
  doubleClickDuplicates = 0;
  twoTabRaces = 0;
  sent: Record<Kind, number> = { add: 0, edit: 0, delete: 0 };
  errorReplies = 0;
  retries = 0;
  foreignAttempts = 0;
  foreignRejected = 0;
  foreignRequestIds: string[] = [];
  /** Two-tab races as [requestId, requestId], to check afterwards that they really overlapped. */
  racePairs: [string, string][] = [];

  record(result: CallResult<unknown>, expected: "ok" | "not-found") {
    this.requests++;
    const key = result.status === 0 ? `network (${result.code})` : String(result.status);
    this.byStatus.set(key, (this.byStatus.get(key) ?? 0) + 1);
    if (result.status >= 500 || result.status === 0) this.serverErrors++;
    const fine = expected === "ok" ? result.ok : result.status === 404 && result.code === "NOT_FOUND";
    if (!fine) {
      const label = `${key} ${result.code ?? ""}: ${result.message ?? ""}`.slice(0, 160);
      this.unexpected.set(label, (this.unexpected.get(label) ?? 0) + 1);
    }
  }
}

const run = new ScriptRun({ label: "soak", deadlineMs: Number(process.env.SOAK_DEADLINE_MS ?? 300_000) });

run.execute(async () => {
  const build = await buildUnlessReused(run, "SOAK_SKIP_BUILD", { echo: true });
  if (build && build.status !== 0) return build.status;

  const database = await startThrowawayPostgres("soak");
  run.defer("database", database.dispose);
  // SOAK_POOLER=1: the instances reach the database through PgBouncer in transaction mode,
  // configured as docs/deploying.md says; migrations and the invariant reads go direct.
  const pooler = process.env.SOAK_POOLER === "1" ? await startPgBouncer(database.url) : undefined;
  if (pooler) run.defer("pgbouncer", pooler.stop);
  const poolerEnv: Record<string, string> = pooler
    ? { DATABASE_URL: pooler.url, DATABASE_DIRECT_URL: database.url, DATABASE_POOLER: "transaction" }
    : { DATABASE_URL: database.url };
  await migrateDatabase(database.url, { behindPooler: !!pooler });
  run.log(`fresh embedded PostgreSQL, migrated (${database.dataDir})${pooler ? ", PgBouncer (transaction mode) in front" : ""}`);

  const secret = randomBytes(32).toString("base64url");
  const probe = new MemoryProbe();
  run.defer("memory probe", () => probe.dispose());
  const servers: NextServer[] = await Promise.all(
    Array.from({ length: INSTANCES }, async (_, index) => {
      const server = await startNextServer({
        name: `app-${index + 1}`,
        port: await findFreePort(),
        env: appEnv({ ...poolerEnv, ...probe.env, SESSION_SECRET: secret, GENERATION_LATENCY_MS: String(LATENCY_MS) }),
        nodeArgs: probe.nodeArgs,
      });
      run.defer(server.name, server.stop);
      return server;
    }),
  );
  run.log(
    `${servers.length} × next start (${servers.map((server) => server.baseUrl).join(", ")}), ` +
      `GENERATION_LATENCY_MS=${LATENCY_MS}, default pool size, one SESSION_SECRET`,
  );

  const tally = new Tally();
  const agent = createAgent();
  // First to run on the way out: closing the keep-alive sockets lets `next start` finish its
  // graceful shutdown at once instead of waiting for connections a load loop keeps busy.
  run.defer("http agent", () => closeAgent(agent));
  const limit = createLimiter(MAX_IN_FLIGHT);
  const instance = (index: number) => servers[index % servers.length]?.baseUrl ?? "";

  // Setup: every user's first request (no cookie) gets its session from the proxy.
  const owners = await Promise.all(
    Array.from({ length: OWNERS }, async (_, index) => {
      const tabA = new TrpcUser(instance(index), agent);
      const created = await limit(() => tabA.mutation<{ id: string }>("project.create", { title: `Soak ${index + 1}` }));
      tally.record(created, "ok");
      if (!created.data) throw new Error(`project.create failed: ${created.status} ${created.message ?? ""}`);
      return { index, tabA, tabB: tabA.tab(instance(index + 1)), projectId: created.data.id };
    }),
  );
  const others = await Promise.all(
    Array.from({ length: OTHER_USERS }, async (_, index) => {
      const user = new TrpcUser(instance(index), agent);
      const listed = await limit(() => user.query<unknown[]>("project.list"));
      tally.record(listed, "ok");
      if (listed.data?.length !== 0) throw new Error("a new user sees projects that are not theirs");
      return user;
    }),
  );
  run.log(`${owners.length} owners with a welcome project each, ${others.length} other users`);

  // Warm-up before the first memory reading, so the load's growth is not the code paths'
  // first run: one more user per instance, one project, an add, an edit, a delete, the reads.
  const warmUpStarted = Date.now();
  await Promise.all(
    servers.map(async (server) => {
      const user = new TrpcUser(server.baseUrl, agent);
      const created = await user.mutation<{ id: string }>("project.create", { title: `Warm-up ${server.name}` });
      tally.record(created, "ok");
      const projectId = created.data?.id;
      if (!projectId) return;
      for (const prompt of ["A red warm-up intro", "A blue warm-up outro", "make scene 1 slow", "delete scene 2"]) {
        tally.record(await user.mutation("generation.generateScene", { projectId, prompt, requestId: randomUUID() }), "ok");
      }
      tally.record(await user.query("generation.getChatMessages", { projectId }), "ok");
      tally.record(await user.query("generation.getProjectScenes", { projectId }), "ok");
    }),
  );
  const memoryBefore = await measureMemory(probe, servers);
  run.log(
    `warm-up (4 generations per instance) and memory before the load: ${((Date.now() - warmUpStarted) / 1000).toFixed(1)} s; ` +
      servers.map((server, index) => `${server.name} ${memoryRow(memoryBefore[index])}`).join("; "),
  );

  const loadStarted = Date.now();
  const stopStartingAt = loadStarted + LOAD_BOUND_MS - 10_000;

  /** Generations per project: requestIds answered 200. */
  const accepted = new Map<string, Set<string>>();
  const generate = async (send: Send) => {
    tally.sent[send.kind]++;
    const result = await limit(() =>
      send.tab.mutation<Generated>("generation.generateScene", {
        projectId: send.projectId,
        prompt: send.prompt,
        requestId: send.requestId,
      }),
    );
    tally.record(result, "ok");
    if (result.data) {
      tally.acceptedRequestIds.add(send.requestId);
      accepted.set(send.projectId, (accepted.get(send.projectId) ?? new Set()).add(send.requestId));
      if (result.data.assistantMessage.status === "error" && !result.data.replayed) tally.errorReplies++;
    }
    return result;
  };

  const ownerScript = async (owner: (typeof owners)[number]) => {
    const { projectId } = owner;
    const random = seededRandom(SEED + owner.index); // each project's mix is repeatable
    let scenes = 1;
    let counter = 0;
    const compose = (tab: TrpcUser, kind: Kind, prompt: string): Send => ({ tab, projectId, kind, prompt, requestId: randomUUID() });
    const pick = () => 1 + Math.floor(random() * Math.max(1, scenes));
    const add = (tab: TrpcUser) => compose(tab, "add", addPrompt(owner.index, counter++));
    const edit = (tab: TrpcUser, position = pick()) => compose(tab, "edit", editPrompt(position, counter++));
    const remove = (tab: TrpcUser) => compose(tab, "delete", `delete scene ${pick()}`);

    const doubleClick = async (send: Send) => {
      tally.doubleClicks++;
      // One composed message, sent twice at once: one click per instance.
      const [first, second] = await Promise.all([generate(send), generate({ ...send, tab: other(send.tab) })]);
      if (first.data && second.data) {
        if (first.data.assistantMessage.id !== second.data.assistantMessage.id) tally.doubleClickDuplicates++;
        if (first.data.replayed || second.data.replayed) tally.doubleClickReplays++;
      }
      return [first, second];
    };
    const twoTabs = async (a: Send, b: Send) => {
      tally.twoTabRaces++;
      tally.racePairs.push([a.requestId, b.requestId]);
      return Promise.all([generate(a), generate(b)]);
    };
    const other = (tab: TrpcUser) => (tab === owner.tabA ? owner.tabB : owner.tabA);

    for (let round = 0; round < MAX_ROUNDS_PER_PROJECT; round++) {
      if ((accepted.get(projectId)?.size ?? 0) >= GENERATIONS_PER_PROJECT || Date.now() > stopStartingAt || run.stopping) break;
      const { tabA, tabB } = owner;
      let sends: { send: Send; result: CallResult<Generated> }[];
      const pair = (a: Send, b: Send) => twoTabs(a, b).then(([ra, rb]) => [{ send: a, result: ra }, { send: b, result: rb }]);
      const dbl = (send: Send) => doubleClick(send).then((results) => results.map((result) => ({ send, result })));

      if (round === 0) {
        // The welcome reset, raced: every project's first generation is a burst.
        const shape = owner.index % 4;
        if (shape === 0) sends = await dbl(add(tabA));
        else if (shape === 1) sends = await pair(add(tabA), add(tabB));
        else if (shape === 2) sends = (await Promise.all([dbl(add(tabA)), pair(add(tabB), add(tabB))])).flat();
        else sends = await pair(add(tabA), edit(tabB, 1)); // "make scene 1 …" on a welcome project adds a scene
      } else {
        const r = random();
        if (r < 0.25) sends = await dbl(add(tabA));
        else if (r < 0.5) sends = await pair(add(tabA), add(tabB));
        else if (r < 0.65) sends = await pair(add(tabA), edit(tabB));
        else if (r < 0.75) sends = await pair(add(tabB), remove(tabA));
        else if (r < 0.85) {
          const position = pick();
          sends = await pair(edit(tabA, position), edit(tabB, position)); // the same scene from two tabs
        } else if (r < 0.92) sends = await dbl(edit(tabB));
        else if (r < 0.97) sends = await dbl(remove(tabA));
        else sends = (await Promise.all([dbl(add(tabA)), pair(add(tabB), edit(tabB))])).flat();
      }

      // Retry some failed replies: the chat's Retry sends the same requestId again.
      const failed = new Map<string, Send>();
      for (const { send, result } of sends) {
        if (result.data?.assistantMessage.status === "error") failed.set(send.requestId, send);
      }
      for (const send of failed.values()) {
        if (random() < 0.5) {
          tally.retries++;
          await generate(send);
        }
      }

      // What the panels do after a send: refetch the chat and the storyboard.
      const [chat, storyboard] = await Promise.all([
        limit(() => tabA.query<MessageRow[]>("generation.getChatMessages", { projectId })),
        limit(() => tabB.query<unknown[]>("generation.getProjectScenes", { projectId })),
      ]);
      tally.record(chat, "ok");
      tally.record(storyboard, "ok");
      if (storyboard.data) scenes = storyboard.data.length;
    }
  };

  const foreignScript = async (user: TrpcUser, index: number) => {
    const random = seededRandom(SEED + 1000 + index);
    for (let attempt = 0; attempt < FOREIGN_ATTEMPTS_PER_USER && Date.now() < stopStartingAt && !run.stopping; attempt++) {
      const target = owners[Math.floor(random() * owners.length)];
      if (!target) continue;
      const requestId = randomUUID();
      tally.foreignRequestIds.push(requestId);
      const tab = user.tab(instance(index + attempt));
      const results = await Promise.all([
        limit(() =>
          tab.mutation("generation.generateScene", { projectId: target.projectId, prompt: "delete scene 1", requestId }),
        ),
        limit(() => tab.query("generation.getChatMessages", { projectId: target.projectId })),
        limit(() => tab.query("project.get", { projectId: target.projectId })),
      ]);
      for (const result of results) {
        tally.foreignAttempts++;
        tally.record(result, "not-found");
        if (result.status === 404) tally.foreignRejected++;
      }
    }
  };

  run.log(
    `load: ${OWNERS} projects × ≥${GENERATIONS_PER_PROJECT} generations, ${OTHER_USERS} users trying foreign ids, ` +
      `≤${MAX_IN_FLIGHT} requests in flight`,
  );
  await Promise.all([...owners.map(ownerScript), ...others.map(foreignScript)]);
  const loadMs = Date.now() - loadStarted;
  if (run.stopping) return 130; // interrupted: the counts would mean nothing
  const memoryAfter = await measureMemory(probe, servers);

  // The database, directly: every invariant, on the whole database and on each project alone.
  const sql = postgres(database.url, { max: 2, onnotice: () => undefined });
  let whole: InvariantReport;
  let perProject: InvariantReport[];
  let foreignWrites = 0;
  let overlapped = 0;
  try {
    const db = drizzle(sql, { schema });
    whole = checkInvariants(await loadInvariantRows(db));
    perProject = [];
    for (const { projectId } of owners) perProject.push(checkInvariants(await loadInvariantRows(db, { projectId })));
    const [row] = await sql<{ n: string }[]>`
      select count(*) as n from messages where request_id = any(${sql.array(tally.foreignRequestIds)}::uuid[])`;
    foreignWrites = Number(row?.n ?? 0);
    // A race happened when both user messages were claimed before either reply was done.
    const [overlap] = await sql<{ n: string }[]>`
      with pair as (
        select * from unnest(${sql.array(tally.racePairs.map(([a]) => a))}::uuid[],
                             ${sql.array(tally.racePairs.map(([, b]) => b))}::uuid[]) as p(a, b)
      ),
      exchange as (
        select u.request_id, u.created_at as claimed, r.updated_at as done
        from messages u join messages r on r.reply_to_id = u.id
      )
      select count(*) as n from pair
      join exchange ea on ea.request_id = pair.a
      join exchange eb on eb.request_id = pair.b
      where greatest(ea.claimed, eb.claimed) < least(ea.done, eb.done)`;
    overlapped = Number(overlap?.n ?? 0);
  } finally {
    await sql.end({ timeout: 5 });
  }

  const { counts, byKind } = whole;
  const perProjectViolations = perProject.reduce((sum, report) => sum + report.violations.length, 0);
  const generations = counts.assistantMessages;
  const accounting = counts.generatedScenes - counts.expectedGeneratedScenes;
  const losses = byKind["lost-scene"] + Math.max(0, -accounting);
  const duplicates =
    byKind["duplicate-request-id"] +
    byKind["multiple-replies"] +
    byKind["orphan-scene"] +
    tally.doubleClickDuplicates +
    Math.max(0, accounting);
  const invariantBreaks =
    byKind["welcome-scene-left"] +
    byKind["welcome-flag-after-generation"] +
    byKind["duplicate-order"] +
    byKind["duplicate-sequence"] +
    byKind["unanswered-message"] +
    byKind["reply-without-message"] +
    foreignWrites;
  const unexpected = [...tally.unexpected.values()].reduce((sum, n) => sum + n, 0);

  const statusText = [...tally.byStatus.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([status, n]) => `${status} × ${n}`)
    .join(", ");
  const rows: [string, string][] = [
    ["requests sent", `${tally.requests} (${statusText})`],
    ["HTTP errors", `5xx/network: ${tally.serverErrors}; unexpected answers: ${unexpected}; expected 404s (foreign project ids): ${tally.foreignRejected}/${tally.foreignAttempts}`],
    ["generations", `${generations} exchanges (requestIds answered 200: ${tally.acceptedRequestIds.size})`],
    ["  double-click bursts", `${tally.doubleClicks} (a replayed answer in ${tally.doubleClickReplays}, two exchanges in ${tally.doubleClickDuplicates})`],
    ["  two-tab races", `${tally.twoTabRaces} (both claimed before either finished: ${overlapped})`],
    ["  requests: add / edit / delete", `${tally.sent.add} / ${tally.sent.edit} / ${tally.sent.delete}`],
    ["  error replies (retried)", `${counts.errorReplies} now in the chats; ${tally.errorReplies} answered as errors; ${tally.retries} retried`],
    ["scenes", `${counts.generatedScenes} generated (adds − deletes = ${counts.expectedGeneratedScenes}), ${counts.welcomeScenes} welcome; ${counts.projects} projects`],
    ["losses", `${losses} (replies pointing at a missing scene: ${byKind["lost-scene"]})`],
    ["duplicates", `${duplicates} (request ids: ${byKind["duplicate-request-id"]}, multiple replies: ${byKind["multiple-replies"]}, orphan scenes: ${byKind["orphan-scene"]}, double-click exchanges: ${tally.doubleClickDuplicates})`],
    ["stuck exchanges", String(byKind.unsettled)],
    ["other invariants", `welcome scene after reset: ${byKind["welcome-scene-left"]}, welcome flag after a generation: ${byKind["welcome-flag-after-generation"]}, duplicate orders: ${byKind["duplicate-order"]}, duplicate sequences: ${byKind["duplicate-sequence"]}, unanswered messages: ${byKind["unanswered-message"]}, replies to nothing: ${byKind["reply-without-message"]}, scene counts off: ${byKind["scene-count"]}, writes by foreign users: ${foreignWrites}`],
    ["invariant checks", `whole database: ${whole.violations.length} violation(s); each of ${perProject.length} projects alone: ${perProjectViolations}`],
    ["wall time", `load ${(loadMs / 1000).toFixed(1)} s (bound ${LOAD_BOUND_MS / 1000} s); whole run ${run.elapsed().toFixed(1)} s`],
    ...servers.map((server, index): [string, string] => [
      `memory ${server.name}`,
      memoryRow(memoryBefore[index], memoryAfter[index]),
    ]),
  ];
  console.log(`\n${table(["soak", "count"], rows)}\n`);
  servers.forEach((server, index) => reportHeapGrowth(server.name, memoryBefore[index], memoryAfter[index]));

  const failures = [
    losses > 0 && `${losses} lost scene(s)`,
    duplicates > 0 && `${duplicates} duplicate(s)`,
    byKind.unsettled > 0 && `${byKind.unsettled} stuck exchange(s)`,
    invariantBreaks > 0 && `${invariantBreaks} broken invariant(s)`,
    !whole.ok && `invariants: ${whole.violations.slice(0, 5).map((violation) => violation.message).join(" ")}`,
    perProjectViolations !== whole.violations.length &&
      `the project-by-project check found ${perProjectViolations} violation(s), the whole-database check ${whole.violations.length}`,
    tally.serverErrors > 0 && `${tally.serverErrors} 5xx/network error(s)`,
    unexpected > 0 && `${unexpected} unexpected answer(s): ${[...tally.unexpected.keys()].join("; ")}`,
    generations < MIN_GENERATIONS && `only ${generations} generations (< ${MIN_GENERATIONS})`,
    loadMs > LOAD_BOUND_MS && `the load took ${(loadMs / 1000).toFixed(1)} s (> ${LOAD_BOUND_MS / 1000} s)`,
  ].filter((failure): failure is string => Boolean(failure));
  if (failures.length > 0) {
    console.error(`[soak] FAILED: ${failures.join("; ")}`);
    for (const server of servers) console.error(`--- ${server.name} output ---\n${server.recentOutput()}`);
    return 1;
  }
  run.log("passed: no losses, no duplicates, nothing stuck, no server errors");
  return 0;
});

/** Each server's memory now (after a GC), or why it could not be read: reported, never a failure. */
function measureMemory(probe: MemoryProbe, servers: NextServer[]): Promise<(ServerMemory | Error)[]> {
  return Promise.all(servers.map((server) => probe.measure(server.pid).catch((error: unknown) => error as Error)));
}

const mib = (value: number) => `${value.toFixed(1)} MiB`;

/** "RSS a → b; V8 heap used after GC c → d" (or one reading alone, without `after`). */
function memoryRow(before: ServerMemory | Error | undefined, after?: ServerMemory | Error): string {
  const readings = after === undefined ? [before] : [before, after];
  const failed = readings.find((reading) => !reading || reading instanceof Error);
  if (failed !== undefined) return `not measured (${failed instanceof Error ? failed.message : "no reading"})`;
  const ok = readings as ServerMemory[];
  const heap = ok.every((reading) => reading.gc) ? "V8 heap used after GC" : "V8 heap used (no forced GC: --expose-gc did not take)";
  const span = (pick: (reading: ServerMemory) => number) => ok.map((reading) => mib(pick(reading))).join(" → ");
  return `RSS ${span((reading) => reading.rssMiB)}; ${heap} ${span((reading) => reading.heapUsedMiB)}`;
}

function reportHeapGrowth(name: string, before: ServerMemory | Error | undefined, after: ServerMemory | Error | undefined) {
  if (!before || !after || before instanceof Error || after instanceof Error) return;
  const growth = after.heapUsedMiB - before.heapUsedMiB;
  const fraction = growth / before.heapUsedMiB;
  const sign = growth >= 0 ? "+" : "−";
  console.log(
    `[soak] ${name}: heap growth across the soak: ${sign}${mib(Math.abs(growth))} ` +
      `(${mib(before.heapUsedMiB)} → ${mib(after.heapUsedMiB)}, ${sign}${Math.abs(fraction * 100).toFixed(0)} %${after.gc ? ", after GC" : ""}); ` +
      `RSS ${mib(before.rssMiB)} → ${mib(after.rssMiB)}`,
  );
  if (fraction > HEAP_GROWTH_WARNING) {
    console.warn(
      `[soak] WARNING: ${name}'s V8 heap grew by ${(fraction * 100).toFixed(0)} % across the soak` +
        `${after.gc ? " after a full GC" : ""} (more than ${HEAP_GROWTH_WARNING * 100} %): something may be kept per request`,
    );
  }
}

function appEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", RACE_LAB: "0", ...extra };
  // The soak runs with the app's defaults (pool size, lock timeout, lease).
  delete env.DATABASE_POOL_MAX;
  delete env.DATABASE_LOCK_TIMEOUT_MS;
  delete env.EXCHANGE_LEASE_MS;
  delete env.PGDATA_DIR;
  delete env.DATABASE_LOG; // development only: a production server refuses it
  return env;
}

const subjects = ["intro", "product shot", "team photo", "pricing table", "customer quote", "roadmap", "outro"];
const styles = ["red", "blue", "green", "purple", "slow", "fast", "zoom", "slide"];

function addPrompt(project: number, n: number) {
  return `A ${styles[(project + n) % styles.length]} ${subjects[n % subjects.length]} (${project + 1}.${n + 1})`;
}

function editPrompt(position: number, n: number) {
  const edits = [
    `make scene ${position} blue`,
    `change the title of scene ${position} to 'Launch ${n}'`,
    `make scene ${position} slow`,
    `turn scene ${position} purple and zoom`,
  ];
  return edits[n % edits.length] ?? `make scene ${position} red`;
}
