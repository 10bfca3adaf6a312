/**
 * `npm run explore`: the interleaving explorer (race-kit) on the larger cases, on a
 * fresh embedded PostgreSQL, and the table of what it found written into
 * docs/testing-races.md (between the `explore:table` markers). The cases are the ones
 * the Vitest suite runs (tests/explorer/cases.ts, tests/explorer/single-statement.ts and
 * the lab's strategies), with bigger budgets: the full `generateScene` and three
 * concurrent generations, which are too large to run whole, get every interleaving up
 * to a cap and then a seeded sample.
 *
 * Runs with `--conditions=react-server` (see package.json) so the app's `server-only`
 * modules load outside Next. EXPLORE_SCALE=0.1 runs a tenth of the bounded budgets;
 * EXPLORE_ONLY=<regex> runs only the cases whose name matches (and writes nothing).
 */
import { readFileSync, writeFileSync } from "node:fs";
import os from "node:os";

import { describeBreaking, explore, summaryLine, type ExplorationReport, type ExploreOptions } from "race-kit";

import { welcomeResetStrategyNames } from "~/lib/lab";
import { closeDatabase, getDb, type Database } from "~/server/db";
import { migrateDatabase } from "~/server/db/migrate";
import { exploreWelcomeReset } from "~/server/lab/explore/welcome-reset";
import {
  claimThenApply,
  fullGeneration,
  sameRequestIdClaims,
  sameRequestIdTwice,
  twoSceneUpdates,
  type CaseEnvironment,
} from "../tests/explorer/cases";
import { applyVersusExpiry, mixedApplies } from "../tests/explorer/single-statement";
import { startThrowawayPostgres } from "./lib/embedded";
import { ScriptRun } from "./lib/run";

const DOC = "docs/testing-races.md";
const SCALE = Number(process.env.EXPLORE_SCALE ?? 1);
const ONLY = process.env.EXPLORE_ONLY ? new RegExp(process.env.EXPLORE_ONLY) : undefined;
const budget = (count: number) => Math.max(10, Math.round(count * SCALE));

interface Case {
  options: ExploreOptions<Database, never>;
  /** Bounded mode: the cap, then this many samples. Omitted: every interleaving. */
  bounded?: { cap: number; samples: number };
  expect: "breaks" | "holds";
}

function cases(environment: CaseEnvironment): Case[] {
  // Each case has its own context type; the loop below only passes them through.
  const cast = <C>(options: ExploreOptions<Database, C>) => options as unknown as ExploreOptions<Database, never>;
  const lab = welcomeResetStrategyNames.map((strategy) => ({
    options: cast(exploreWelcomeReset(strategy, environment)),
    expect: strategy === "naive" || strategy === "transaction-only" ? ("breaks" as const) : ("holds" as const),
  }));
  const app = (options: ExploreOptions<Database, never>, bounded?: Case["bounded"]): Case => ({ options, bounded, expect: "holds" });
  // docs/patterns/single-statement.md: the one-statement apply where a snapshot can be stale
  // (behind the locked apply), and the same writes as a batch without a transaction.
  const single = (options: ExploreOptions<Database, never>, expect: Case["expect"] = "holds"): Case => ({ options, expect });
  const singleStatement = [
    single(cast(mixedApplies(environment, { A: "locked", B: "single-statement" }))),
    single(cast(mixedApplies(environment, { A: "locked", B: "single-statement" }, { appending: true }))),
    single(cast(mixedApplies(environment, { A: "locked", B: "single-statement", C: "single-statement" }, { appending: true }))),
    single(cast(mixedApplies(environment, { A: "locked", B: "single-statement without retry" }, { appending: true })), "breaks"),
    single(cast(applyVersusExpiry(environment, "single-statement"))),
    single(cast(applyVersusExpiry(environment, "locked"))),
    single(cast(mixedApplies(environment, { A: "batch", B: "batch" }))),
    single(cast(applyVersusExpiry(environment, "batch")), "breaks"),
  ];
  return [
    ...lab,
    app(cast(claimThenApply(environment))),
    app(cast(fullGeneration(environment)), { cap: budget(1500), samples: budget(500) }),
    app(cast(claimThenApply(environment, 3)), { cap: budget(600), samples: budget(400) }),
    app(cast(sameRequestIdClaims(environment))),
    app(cast(sameRequestIdTwice(environment))),
    app(cast(twoSceneUpdates(environment))),
    ...singleStatement,
  ];
}

function row(report: ExplorationReport, expected: Case["expect"]) {
  const steps = Object.entries(report.stepsPerLane)
    .map(([lane, count]) => `${lane} ${count}`)
    .join(", ");
  const feasible = report.complete ? String(report.feasible) : `≈${report.estimatedFeasible ?? "?"}`;
  const coverage = report.complete
    ? "all"
    : `${((100 * report.explored) / Math.max(1, report.estimatedFeasible ?? report.total)).toFixed(2)} %`;
  const verdict = (expected === "breaks") === report.counts.broken > 0 ? "as expected" : "**UNEXPECTED**";
  const first = report.breaking[0];
  return `| ${report.name} | ${steps} | ${report.total.toLocaleString("en")} | ${feasible} | ${report.explored} (${coverage}) | ${report.counts.broken} | ${report.counts.blocked} | ${report.counts.deadlock} | ${first ? `\`${first.schedule}\`` : "—"} | ${verdict} | ${(report.durationMs / 1000).toFixed(1)} s |`;
}

async function main(run: ScriptRun) {
  const database = await startThrowawayPostgres("explore");
  run.defer("PostgreSQL", database.dispose);
  await migrateDatabase(database.url);
  process.env.DATABASE_URL = database.url;
  run.defer("the app's pool", closeDatabase);
  const environment = { db: getDb(), databaseUrl: database.url };

  const rows: string[] = [];
  const details: string[] = [];
  let unexpected = 0;
  const started = Date.now();
  for (const { options, bounded, expect } of cases(environment)) {
    if (ONLY && !ONLY.test(options.name ?? "")) continue;
    const report = await explore({
      ...options,
      ...(bounded ? { maxInterleavings: bounded.cap, samples: bounded.samples, seed: 1 } : {}),
    });
    run.log(summaryLine(report));
    rows.push(row(report, expect));
    if ((expect === "breaks") !== report.counts.broken > 0) unexpected++;
    const first = report.breaking[0];
    if (first) details.push(`**${report.name}**, first breaking interleaving:`, "", "```", ...describeBreaking(first), "```", "");
  }
  const seconds = Math.round((Date.now() - started) / 1000);

  const table = [
    `Measured by \`npm run explore\` on ${os.cpus().length} cores, ${new Date().toISOString().slice(0, 10)}, ${seconds} s in all.`,
    "",
    "| case | statements per request | orderings (total) | feasible | explored | breaking | blocked | deadlock | first breaking schedule | | time |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
    "",
    ...details,
  ].join("\n");
  if (ONLY) {
    console.log(table);
    return unexpected === 0 ? 0 : 1;
  }
  const doc = readFileSync(DOC, "utf8");
  const start = "<!-- explore:table:start -->";
  const end = "<!-- explore:table:end -->";
  if (!doc.includes(start) || !doc.includes(end)) throw new Error(`${DOC} has no ${start} … ${end} markers`);
  writeFileSync(DOC, `${doc.slice(0, doc.indexOf(start) + start.length)}\n${table}\n${doc.slice(doc.indexOf(end))}`);
  run.log(`wrote the table into ${DOC}${unexpected ? `; ${unexpected} case(s) did not behave as expected` : ""}`);
  return unexpected === 0 ? 0 : 1;
}

const run = new ScriptRun({ label: "explore", deadlineMs: 40 * 60_000 });
run.execute(() => main(run));
