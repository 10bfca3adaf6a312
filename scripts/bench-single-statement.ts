/**
 * `npm run bench:single-statement`: what the single-statement apply costs against the
 * app's locked apply (docs/patterns/single-statement.md). A script, not a test.
 *
 * It times the apply step alone — the claims are made first, untimed — on the app's own
 * pool (postgres.js, 10 connections, the lock queue and `lock_timeout` as in the app),
 * calling the two apply functions directly, with no HTTP in front:
 *
 *   1 sequential, the first generation of a new project (the welcome reset)
 *   2 sequential, appending to a project that has its first scene
 *   3 2 concurrent generations on one new project (a double-click: one reset, one append)
 *   4 10 concurrent generations on ONE new project (a burst: one reset, nine appends)
 *   5 10 concurrent generations on 10 new projects (one each)
 *
 * The variants take turns round by round, so drift on a shared machine hits both. For
 * the single statement it also counts attempts (a retry is a statement whose order was
 * taken by a commit it could not see). Afterwards every project is checked with the app's
 * invariants. A fresh embedded PostgreSQL in a temp folder, or DATABASE_URL (a fresh,
 * empty database: it is migrated and written to). BENCH_ROUNDS scales the rounds.
 */
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";

import { sql } from "drizzle-orm";

import { openDatabase, type Database } from "~/server/db";
import { checkStoredInvariants } from "~/server/db/invariants";
import { migrateDatabase } from "~/server/db/migrate";
import { queryRows } from "~/server/db/tx";
import { applyInOneStatement } from "~/server/lab/welcome-reset/single-statement";
import { generateSceneProps } from "~/server/services/brain/model";
import { planAddScene } from "~/server/services/brain/tools/add-scene";
import { applyGeneration } from "~/server/services/generation/apply";
import { claimExchange } from "~/server/services/generation/claim";
import { markBuilding } from "~/server/services/generation/exchange";
import { createWelcomeProject } from "~/server/services/projects";
import { startThrowawayPostgres } from "./lib/embedded";
import { ScriptRun } from "./lib/run";
import { median, ms, summarize, table } from "./lib/stats";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);
const BURST = 10;
const variants = ["locked", "single-statement"] as const;
type Variant = (typeof variants)[number];

interface Sample {
  ms: number;
  attempts: number;
  ok: boolean;
}

interface Claimed {
  userId: string;
  projectId: string;
  assistantMessageId: string;
  prompt: string;
}

async function applyTimed(db: Database, variant: Variant, { userId, projectId, assistantMessageId, prompt }: Claimed): Promise<Sample> {
  const props = generateSceneProps(prompt);
  const started = performance.now();
  try {
    if (variant === "locked") {
      await applyGeneration(db, { userId, projectId, assistantMessageId, plan: planAddScene(props) });
      return { ms: performance.now() - started, attempts: 1, ok: true };
    }
    const { attempts } = await applyInOneStatement(db, { userId, projectId, assistantMessageId, props });
    return { ms: performance.now() - started, attempts, ok: true };
  } catch (error) {
    console.error(`[bench:single-statement] ${variant} apply failed:`, error instanceof Error ? error.message : error);
    return { ms: performance.now() - started, attempts: 0, ok: false };
  }
}

/** A new welcome project of a new user. */
async function newProject(db: Database) {
  const userId = randomUUID();
  const project = await createWelcomeProject(db, userId, "Bench · single statement");
  return { userId, projectId: project.id };
}

/** An exchange claimed and marked building, ready for its apply step (untimed). */
async function claim(db: Database, project: { userId: string; projectId: string }, prompt: string): Promise<Claimed> {
  const { assistantMessage } = await claimExchange(db, { ...project, prompt, requestId: randomUUID() });
  await markBuilding(db, assistantMessage.id);
  return { ...project, assistantMessageId: assistantMessage.id, prompt };
}

type Scenario = (db: Database, variant: Variant, round: number) => Promise<{ samples: Sample[]; wallMs: number }>;

/** `n` generations claimed on one new project, then their apply steps all at once. */
async function burstOnOneProject(db: Database, variant: Variant, round: number, n: number) {
  const project = await newProject(db);
  const claimed = [];
  for (let index = 0; index < n; index++) claimed.push(await claim(db, project, `Burst ${round}.${index}`));
  const started = performance.now();
  const samples = await Promise.all(claimed.map((exchange) => applyTimed(db, variant, exchange)));
  return { samples, wallMs: performance.now() - started };
}

const scenarios: { name: string; run: Scenario }[] = [
  {
    name: "sequential · first generation (welcome reset)",
    run: async (db, variant, round) => {
      const claimed = await claim(db, await newProject(db), `First ${round}`);
      const sample = await applyTimed(db, variant, claimed);
      return { samples: [sample], wallMs: sample.ms };
    },
  },
  {
    name: "sequential · appending (5 in a row)",
    run: async (db, variant, round) => {
      const project = await newProject(db);
      await applyTimed(db, variant, await claim(db, project, `First ${round}`));
      const samples: Sample[] = [];
      for (let index = 0; index < 5; index++) samples.push(await applyTimed(db, variant, await claim(db, project, `Next ${index}`)));
      return { samples, wallMs: samples.reduce((total, sample) => total + sample.ms, 0) };
    },
  },
  { name: "2 concurrent · one new project (a double-click)", run: (db, variant, round) => burstOnOneProject(db, variant, round, 2) },
  { name: `${BURST} concurrent · one new project`, run: (db, variant, round) => burstOnOneProject(db, variant, round, BURST) },
  {
    name: `${BURST} concurrent · ${BURST} new projects`,
    run: async (db, variant, round) => {
      const claimed = [];
      for (let index = 0; index < BURST; index++) claimed.push(await claim(db, await newProject(db), `Spread ${round}.${index}`));
      const started = performance.now();
      const samples = await Promise.all(claimed.map((exchange) => applyTimed(db, variant, exchange)));
      return { samples, wallMs: performance.now() - started };
    },
  },
];

async function main(run: ScriptRun) {
  let url = process.env.DATABASE_URL;
  if (!url) {
    const database = await startThrowawayPostgres("bench-single-statement");
    run.defer("PostgreSQL", database.dispose);
    url = database.url;
  }
  await migrateDatabase(url);
  const { db, close } = openDatabase(url);
  run.defer("the pool", close);
  const [version] = await queryRows<{ server_version: string }>(db, sql`show server_version`);
  run.log(`PostgreSQL ${version?.server_version ?? "?"}, ${ROUNDS} rounds per scenario and variant, pool of the app's size`);

  // Warm-up, not measured: connections, prepared statements, the JIT.
  for (let round = 0; round < 5; round++) for (const { run: scenario } of scenarios) for (const variant of variants) await scenario(db, variant, -1);

  const rows: string[][] = [];
  for (const { name, run: scenario } of scenarios) {
    const samples: Record<Variant, Sample[]> = { locked: [], "single-statement": [] };
    const walls: Record<Variant, number[]> = { locked: [], "single-statement": [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const variant of round % 2 === 0 ? variants : [...variants].reverse()) {
        const result = await scenario(db, variant, round);
        samples[variant].push(...result.samples);
        walls[variant].push(result.wallMs);
      }
    }
    for (const variant of variants) {
      const ok = samples[variant].filter((sample) => sample.ok);
      const latency = summarize(ok.map((sample) => sample.ms));
      const attempts = ok.map((sample) => sample.attempts);
      const retried = attempts.filter((count) => count > 1).length;
      rows.push([
        name,
        variant,
        String(latency.n),
        ms(latency.p50),
        ms(latency.p99),
        ms(median(walls[variant])),
        variant === "locked" ? "—" : `${(attempts.reduce((a, b) => a + b, 0) / Math.max(1, attempts.length)).toFixed(2)} (max ${Math.max(...attempts)}, ${retried} retried)`,
        String(samples[variant].length - ok.length),
      ]);
    }
    run.log(`done: ${name}`);
  }

  const { report } = await checkStoredInvariants(db);
  console.log(
    table(["scenario", "apply step", "applies", "p50", "p99", "median wall per round", "attempts per apply (single statement)", "errors"], rows),
  );
  console.log(`\ninvariants over all ${report.counts.projects} projects: ${report.violations.length} violation(s)`);
  for (const violation of report.violations.slice(0, 5)) console.log(`  ✗ ${violation.message}`);
  return report.ok && rows.every((row) => row[7] === "0") ? 0 : 1;
}

const run = new ScriptRun({ label: "bench:single-statement", deadlineMs: 15 * 60_000 });
run.execute(() => main(run));
