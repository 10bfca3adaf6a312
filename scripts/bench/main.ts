/**
 * `npm run bench`: the price of the fixes, measured side by side. A script, not a test.
 *
 * Builds the app (`next build`; BENCH_SKIP_BUILD=1 reuses `.next` while iterating), starts
 * a fresh embedded PostgreSQL in a temp folder (pg_stat_statements preloaded), captures the
 * SQL the app's services send (./sql/), starts the production servers on it (./servers.ts),
 * runs the scenarios (./scenarios/) in order over real HTTP, and writes docs/benchmarks.md
 * (./report.ts) and its charts (./charts.ts). BENCH_ONLY=1,5,statements runs some parts and
 * prints their results instead (the doc and the charts are left alone). The whole run has a
 * hard deadline (BENCH_DEADLINE_MS, default 900 s) and stops its servers and database on
 * every way out.
 *
 * Runs with `--conditions=react-server` (see package.json) so the app's `server-only`
 * modules load outside Next, as scripts/explore.ts does.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { migrateDatabase } from "~/server/db/migrate";

import { serverVersion, startThrowawayPostgres } from "../lib/embedded";
import { buildUnlessReused } from "../lib/next-app";
import { ScriptRun } from "../lib/run";
import { closeAgent } from "../lib/trpc-http";
import { agent } from "./calls";
import { benchCharts } from "./charts";
import { Errors } from "./errors";
import { render, statementFlow } from "./report";
import type { BuildInfo } from "./results";
import { applyOverhead } from "./scenarios/apply-overhead";
import { crossProject } from "./scenarios/cross-project";
import { databaseLimit } from "./scenarios/database-limit";
import { interleavings } from "./scenarios/interleavings";
import { lockScope } from "./scenarios/lock-scope";
import { pageMetrics } from "./scenarios/page";
import { throughPgBouncer } from "./scenarios/pgbouncer";
import { poolPressure } from "./scenarios/pool-pressure";
import { enableStatementStats, statementsPerRequest } from "./scenarios/statements";
import { pgbouncerVersion, startServers } from "./servers";
import { DEADLINE_MS, DOC, IMAGES, only } from "./settings";
import { captureStatements, type Captured } from "./sql/capture";

const run = new ScriptRun({ label: "bench", deadlineMs: DEADLINE_MS });

async function build(): Promise<BuildInfo | number> {
  const result = await buildUnlessReused(run, "BENCH_SKIP_BUILD");
  if (!result) return { seconds: Number.NaN, reused: true, routeTable: "" };
  if (result.status !== 0) return result.status;
  return { seconds: result.seconds, reused: false, routeTable: /Route \(app\)[\s\S]*?(?=\n\n\S|\n*$)/.exec(result.output)?.[0] ?? "" };
}

async function step<T>(name: string, body: () => Promise<T>) {
  const started = Date.now();
  const result = await body();
  run.log(`${name}: ${((Date.now() - started) / 1000).toFixed(1)} s (run at ${run.elapsed().toFixed(0)} s)`);
  return result;
}

/** BENCH_ONLY's output: numbers rounded, raw samples and recorded rows left out. */
const printable = (key: string, value: unknown) =>
  key === "latencies" || key === "rows" || key === "walls"
    ? undefined
    : typeof value === "number"
      ? Math.round(value * 10) / 10
      : value instanceof Errors
        ? value.toString()
        : value;

function captureSummary(captured: Captured) {
  return {
    statements: captured.generation.length,
    flow: statementFlow(captured.generation.map((statement) => statement.text)),
    applyStep: captured.generation.length - captured.applyFrom,
    unexplained: captured.unexplained,
    lab: { naive: captured.lab.naive.length, locked: captured.lab.locked.length },
  };
}

run.execute(async () => {
  const loadBefore = os.loadavg();
  const built = await build();
  if (typeof built === "number") return built;

  const database = await startThrowawayPostgres("bench", { settings: { shared_preload_libraries: "pg_stat_statements" } });
  run.defer("database", database.dispose);
  await migrateDatabase(database.url);
  await enableStatementStats(database.url);
  const captured = await step("capture the services' SQL", () => captureStatements(database.url));
  run.log(`a generation sends ${captured.generation.length} statements: ${captureSummary(captured).flow}`);

  const { a, b, c } = await startServers(run, database.url);
  // First to run on the way out: closing the keep-alive sockets lets `next start` finish its
  // graceful shutdown at once instead of waiting for connections a scenario keeps busy.
  run.defer("http agent", () => closeAgent(agent));
  const log = (line: string) => run.log(line);

  if (only) {
    const pick: Record<string, () => Promise<unknown>> = {
      capture: async () => captureSummary(captured),
      "1": () => applyOverhead(a, log),
      "2": () => lockScope(a, b),
      "3": () => crossProject(database.url, a, b),
      "4": () => poolPressure(a),
      "5": () => databaseLimit(database.url, a, captured),
      "6": async () => (c ? throughPgBouncer(a, c) : "skipped: no PgBouncer"),
      statements: () => statementsPerRequest(database.url, a),
      explore: () => interleavings(database.url, log),
      page: () => pageMetrics(b),
    };
    for (const id of only) {
      const part = pick[id];
      if (!part) {
        run.log(`BENCH_ONLY: no part "${id}" (${Object.keys(pick).join(", ")})`);
        continue;
      }
      console.log(JSON.stringify(await step(`part ${id}`, part), printable));
    }
    return 0;
  }

  const s1 = await step("1 apply-step overhead", () => applyOverhead(a, log));
  const s2 = await step("2 lock scope", () => lockScope(a, b));
  const s3 = await step("3 cross-project scaling", () => crossProject(database.url, a, b));
  const s4 = await step("4 pool pressure", () => poolPressure(a));
  const s5 = await step("5 database limit", () => databaseLimit(database.url, a, captured));
  const s6 = c ? await step("6 through PgBouncer", () => throughPgBouncer(a, c)) : undefined;
  const statements = await step("statements per request (pg_stat_statements)", () => statementsPerRequest(database.url, a));
  const explored = await step("every interleaving per strategy", () => interleavings(database.url, log));
  const page = await step("page: first-load JS and TTFB", () => pageMetrics(b));

  const results = {
    captured,
    s1,
    s2,
    s3,
    s4,
    s5,
    s6,
    statements,
    interleavings: explored,
    page,
    pgbouncerVersion: pgbouncerVersion(),
    build: built,
    postgresVersion: await serverVersion(database.url),
    loadBefore,
    loadAfter: os.loadavg(),
    seconds: run.elapsed(),
  };
  const report = render(results, existsSync(DOC) ? readFileSync(DOC, "utf8") : "");
  console.log(`\n${report.console}\n`);
  writeFileSync(DOC, report.markdown);
  mkdirSync(IMAGES, { recursive: true });
  for (const chart of benchCharts(results)) writeFileSync(path.join(IMAGES, chart.file), chart.svg);
  run.log(`wrote ${DOC} and its charts in ${IMAGES} (${run.elapsed().toFixed(0)} s in all)`);
  return 0;
});
