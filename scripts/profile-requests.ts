/**
 * `npm run profile`: where a request's CPU time goes, end to end. For each of two calls —
 * `project.get` (one query) and `generation.generateScene` (the fixed flow, latency 0) — it
 * starts the production build (`next start`) under `node --cpu-prof` on a fresh embedded
 * PostgreSQL, warms it up, sends the same call from 10 concurrent clients, stops the server
 * (which writes the profile) and prints the functions with the most self time and self
 * time by origin. It writes them into docs/benchmarks.md between the `profile:` markers
 * (PROFILE_NO_DOC=1 leaves the doc alone). PROFILE_SKIP_BUILD=1 reuses `.next`; PROFILE_KEEP=1
 * keeps the `.cpuprofile` files (open them in Chrome DevTools' Performance panel).
 */
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { findFreePort } from "~/server/db/embedded";
import { migrateDatabase } from "~/server/db/migrate";

import { closedLoop } from "./lib/concurrency";
import { PROFILE_END as END, PROFILE_START as START, summarizeCpuProfile, type FrameShare, type ProfileSummary } from "./lib/cpu-profile";
import { startThrowawayPostgres } from "./lib/embedded";
import { buildUnlessReused, startNextServer } from "./lib/next-app";
import { ScriptRun } from "./lib/run";
import { closeAgent, createAgent, TrpcUser, type CallResult } from "./lib/trpc-http";


const DOC = path.join("docs", "benchmarks.md");
const CLIENTS = 10;
const WARMUP_CALLS = 300;

const run = new ScriptRun({ label: "profile", deadlineMs: Number(process.env.PROFILE_DEADLINE_MS ?? 300_000) });
const agent = createAgent();

interface Workload {
  name: string;
  calls: number;
  call: (user: TrpcUser, projectId: string, index: number) => Promise<CallResult<unknown>>;
}

const workloads: Workload[] = [
  { name: "project.get", calls: 3000, call: (user, projectId) => user.query("project.get", { projectId }) },
  {
    name: "generation.generateScene",
    calls: 600,
    call: (user, projectId, index) =>
      user.mutation("generation.generateScene", { projectId, prompt: `Profile scene ${index}`, requestId: randomUUID() }),
  },
];

function serverEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production" };
  for (const name of ["DATABASE_DRIVER", "DATABASE_POOL_MAX", "DATABASE_POOLER", "DATABASE_DIRECT_URL", "PGDATA_DIR", "NODE_OPTIONS"]) {
    delete env[name];
  }
  return { ...env, ...extra };
}

async function profileWorkload(databaseUrl: string, workload: Workload): Promise<ProfileSummary & { perSecond: number; failed: number }> {
  const directory = mkdtempSync(path.join(os.tmpdir(), "race-safe-profile-"));
  if (process.env.PROFILE_KEEP === "1") run.log(`${workload.name}: profiles kept in ${directory}`);
  else run.defer(`profile folder ${workload.name}`, () => rmSync(directory, { recursive: true, force: true }));
  const server = await startNextServer({
    name: workload.name,
    port: await findFreePort(),
    env: serverEnv({
      DATABASE_URL: databaseUrl,
      SESSION_SECRET: randomBytes(32).toString("base64url"),
      GENERATION_LATENCY_MS: "0",
      RACE_LAB: "0",
    }),
    nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${directory}`],
  });
  run.defer(`server ${workload.name}`, server.stop);

  // One user and project per client, as the bench does; the first call of each sets its cookie.
  const clients = await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      const user = new TrpcUser(server.baseUrl, agent);
      const created = await user.mutation<{ id: string }>("project.create", { title: "Profile" });
      if (!created.data) throw new Error(`project.create failed: ${created.status} ${created.message ?? ""}`);
      return { user, projectId: created.data.id };
    }),
  );
  let failed = 0;
  const load = async (total: number) =>
    closedLoop({
      concurrency: CLIENTS,
      total,
      deadline: Date.now() + run.remainingMs() - 30_000,
      task: async (iteration, worker) => {
        const client = clients[worker];
        if (!client) return;
        const result = await workload.call(client.user, client.projectId, iteration);
        if (result.status !== 200) failed++;
      },
    });
  await load(WARMUP_CALLS);
  const measured = await load(workload.calls);
  const perSecond = measured.completed / (measured.wallMs / 1000);
  run.log(`${workload.name}: ${measured.completed} calls, ${perSecond.toFixed(0)}/s, ${failed} failed`);
  await server.stop();

  const profiles = readdirSync(directory)
    .filter((file) => file.endsWith(".cpuprofile"))
    .map((file) => path.join(directory, file));
  // next start may run helpers in other processes: the server is the one that worked most.
  const [largest] = profiles.sort((a, b) => statSync(b).size - statSync(a).size);
  if (!largest) throw new Error(`no .cpuprofile was written for ${workload.name} (did the server exit cleanly?)`);
  return { ...summarizeCpuProfile(largest), perSecond, failed };
}

const percent = (share: number) => `${(share * 100).toFixed(1)} %`;
const rows = (frames: FrameShare[]) => frames.map(({ name, share }) => `| ${name.replace(/\|/g, "\\|")} | ${percent(share)} |`);

function render(results: { workload: Workload; summary: Awaited<ReturnType<typeof profileWorkload>> }[]) {
  const lines = [
    `Produced by \`npm run profile\` (${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, Node ${process.version}):`,
    `the production build under \`node --cpu-prof\`, ${CLIENTS} concurrent clients, after ${WARMUP_CALLS} warm-up calls.`,
    "Shares are of all samples of the server process, idle included.",
  ];
  for (const { workload, summary } of results) {
    lines.push(
      "",
      `**${workload.name}** — ${workload.calls} calls at ${summary.perSecond.toFixed(0)}/s under the profiler; the process was busy ${percent(summary.busyShare)} of the time.`,
      "",
      "| self time by origin | share |",
      "| --- | --- |",
      ...rows(summary.byOrigin),
      "",
      "| function (self time) | share |",
      "| --- | --- |",
      ...rows(summary.topFunctions),
    );
  }
  return lines.join("\n");
}

run.execute(async () => {
  const build = await buildUnlessReused(run, "PROFILE_SKIP_BUILD");
  if (build && build.status !== 0) return build.status;
  const database = await startThrowawayPostgres("profile");
  run.defer("database", database.dispose);
  run.defer("http agent", () => closeAgent(agent));
  await migrateDatabase(database.url);

  const results = [];
  for (const workload of workloads) results.push({ workload, summary: await profileWorkload(database.url, workload) });
  const text = render(results);
  console.log(`\n${text}\n`);
  if (results.some(({ summary }) => summary.failed > 0)) {
    console.error("[profile] some calls failed: the profile is not of a healthy run");
    return 1;
  }
  if (process.env.PROFILE_NO_DOC === "1") return 0;
  const doc = readFileSync(DOC, "utf8");
  if (!doc.includes(START) || !doc.includes(END)) throw new Error(`${DOC} has no ${START} … ${END} markers`);
  writeFileSync(DOC, `${doc.slice(0, doc.indexOf(START) + START.length)}\n${text}\n${doc.slice(doc.indexOf(END))}`);
  run.log(`wrote the profile into ${DOC}`);
  return 0;
});
