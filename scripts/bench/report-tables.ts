/**
 * The tables of docs/benchmarks.md (also printed on the console), one function a
 * section, from a run's results; and the targets, each judged once here so the summary
 * table and the "why" section agree.
 */
import { kib, ms, perSecond, ratio, table } from "../lib/stats";
import { Errors } from "./errors";
import { mib } from "./memory";
import type { Results } from "./results";
import { S1 } from "./scenarios/apply-overhead";
import { S2 } from "./scenarios/lock-scope";
import { S3 } from "./scenarios/cross-project";
import { S4 } from "./scenarios/pool-pressure";
import { S5 } from "./scenarios/database-limit";
import { S6 } from "./scenarios/pgbouncer";
import { STATEMENTS_TARGET } from "./scenarios/statements";
import { SLOW_MS } from "./settings";

export const verdict = (met: boolean) => (met ? "✅ met" : "❌ missed");

export function pct(value: number) {
  return Number.isFinite(value) ? `${Math.round(value * 100)} %` : "–";
}

/** A count per request: whole numbers as they are, others to one decimal. */
export const count = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(1));

/** Statements one HTTP generation costs the database: the server's own count, else the captured one. */
export const httpStatementsPerGeneration = (r: Results) => r.statements.generation.withEndsPerRequest || r.s5.statements.generation;

export interface Target {
  id: string;
  name: string;
  target: string;
  measured: string;
  met: boolean;
}

export function targets(r: Results): Target[] {
  const { s1, s2, s3, s4, s5, statements } = r;
  const httpRate = s1.fixed.throughput;
  return [
    {
      id: "1",
      name: "Apply-step overhead",
      target: "locked / naive p50 ≤ 1.05",
      measured: `${ratio(s1.p50Ratio)} (p99 ${ratio(s1.p99Ratio)}, throughput ${ratio(s1.throughputRatio)})`,
      met: s1.p50Ratio <= 1.05,
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
      target: `same / cross throughput ≥ 0.9 at ${SLOW_MS} ms`,
      measured: `${ratio(s3.at500.ratio)} at ${SLOW_MS} ms (${ratio(s3.at0.ratio)} at 0 ms, no target)`,
      met: s3.at500.ratio >= 0.9,
    },
    {
      id: "4",
      name: "Pool pressure",
      target: "0 errors at 200 concurrent",
      measured: `${s4.errors.total} errors in ${S4.rounds} × ${S4.n}; p99 ${ms(s4.p99)}; server RSS after ${mib(s4.memoryAfter?.rss ?? Number.NaN)}`,
      met: s4.errors.total === 0,
    },
    {
      id: "5",
      name: "Database limit",
      target: "HTTP `generateScene` ≥ 40 % of the same SQL sent directly, prepared",
      measured: `${pct(httpRate / s5.wholeGeneration.rate)} of the same SQL sent directly (${perSecond(httpRate)} vs ${perSecond(s5.wholeGeneration.rate)}); ${pct(httpRate / s5.apply.rate)} of its apply step alone`,
      met: httpRate / s5.wholeGeneration.rate >= 0.4,
    },
    {
      id: "8",
      name: "The web stack",
      target: "`project.get` ≥ 50 % of a bare `node:http` server running the same query",
      measured: `${pct(s5.httpFloor.rate / s5.bareHttp.rate)} (${perSecond(s5.httpFloor.rate)} vs ${perSecond(s5.bareHttp.rate)})`,
      met: s5.httpFloor.rate / s5.bareHttp.rate >= 0.5,
    },
    {
      id: "7",
      name: "Statements per generation",
      target: `≤ ${STATEMENTS_TARGET} (pg_stat_statements)`,
      measured: `${count(statements.generation.withEndsPerRequest)} per \`generation.generateScene\` (pg_stat_statements ${count(statements.generation.perRequest)} + ${count(statements.generation.uncountedEndsPerRequest)} COMMITs it does not count; captured from the services: ${s5.statements.generation}); a chat poll ${count(statements.poll.withEndsPerRequest)}, ${statements.poll.writesPerRequest === 0 ? "no write" : `${count(statements.poll.writesPerRequest)} writes`}`,
      met: statements.generation.withEndsPerRequest <= STATEMENTS_TARGET,
    },
  ];
}

export function pooledSummary(r: Results) {
  const { s6 } = r;
  return s6
    ? `fixed flow p50 ${ratio(s6.ratios.fixedP50)}, throughput ${ratio(s6.ratios.fixedThroughput)}; \`project.get\` p50 ${ratio(s6.ratios.readP50)}, throughput ${ratio(s6.ratios.readThroughput)}`
    : "skipped: PgBouncer is not installed";
}

export function summaryTable(r: Results) {
  const rows = targets(r).map((t) => [t.id, t.name, t.target, t.measured, verdict(t.met)]);
  rows.splice(5, 0, ["6", "Through PgBouncer", "pooled / direct, reported", pooledSummary(r), "—"]);
  return table(["#", "Scenario", "Target", "Measured", ""], rows);
}

export function s1Table({ s1 }: Results) {
  const labels = { naive: "lab `naive` (no transaction)", locked: "lab `locked` (the app's apply step)", fixed: "`generation.generateScene` (the fixed flow)" };
  return table(
    [`Variant (${S1.clients} clients × own project, ${S1.total} calls, latency 0)`, "p50", "p99", "throughput", "errors"],
    (["naive", "locked", "fixed"] as const).map((variant) => [
      labels[variant],
      ms(s1[variant].p50),
      ms(s1[variant].p99),
      perSecond(s1[variant].throughput),
      s1[variant].errors.toString(),
    ]),
  );
}

export function s2Table({ s2 }: Results) {
  const rows = [
    ["fixed flow: `generation.generateScene`, server B (GENERATION_LATENCY_MS=500)", s2.fixed],
    ["lab `locked`, latencyMs 500 (the app's claim + apply)", s2.locked],
    ["lab `lock-across-model-call`, latencyMs 500 (anti-pattern)", s2.anti],
  ] as const;
  return table(
    ["Variant (20 at once, one project)", "wall time (median)", "runs", "a call: p50 / p95", "a bystander's read: p50 / max", "errors"],
    rows.map(([label, v]) => [
      label,
      ms(v.wallMs),
      v.walls.map((w) => ms(w)).join(", "),
      `${ms(v.p50)} / ${ms(v.p95)}`,
      `${ms(v.probeP50)} / ${ms(v.probeMax)}`,
      v.errors.toString(),
    ]),
  );
}

export function s3Table({ s3 }: Results) {
  const rows = [
    [`0 ms (server A, ${S3.reps0} runs each)`, s3.at0],
    [`${SLOW_MS} ms (server B, ${S3.reps500} runs each)`, s3.at500],
  ] as const;
  return table(
    ["Latency", "50 projects × 1: throughput (wall)", "1 project × 50: throughput (wall)", "same / cross", "errors"],
    rows.map(([label, v]) => [
      label,
      `${perSecond(v.cross.throughput)} (${ms(v.cross.wallMs)})`,
      `${perSecond(v.same.throughput)} (${ms(v.same.wallMs)})`,
      ratio(v.ratio),
      new Errors().merge(v.cross.errors).merge(v.same.errors).toString(),
    ]),
  ).concat(
    "\n\n" +
      table(
        [`In this process, no HTTP (${SLOW_MS} ms, ${S3.reps500} runs each)`, "50 projects × 1: throughput (wall)", "1 project × 50: throughput (wall)", "same / cross", "failed"],
        [
          [
            "`generateScene` called directly, the app's pool",
            `${perSecond(s3.inProcess.cross.throughput)} (${ms(s3.inProcess.cross.wallMs)})`,
            `${perSecond(s3.inProcess.same.throughput)} (${ms(s3.inProcess.same.wallMs)})`,
            ratio(s3.inProcess.ratio),
            String(s3.inProcess.cross.failed + s3.inProcess.same.failed),
          ],
        ],
      ),
  );
}

export function s4Table({ s4 }: Results) {
  return table(
    ["Round (200 users × own project, all at once)", "wall", "p50", "p99", "max", "errors", "server A RSS after (peak)"],
    s4.rounds.map((round, index) => [
      String(index + 1),
      ms(round.wallMs),
      ms(round.latency.p50),
      ms(round.latency.p99),
      ms(round.latency.max),
      round.errors.toString(),
      round.memory ? `${mib(round.memory.rss)} (${mib(round.memory.peak)})` : "–",
    ]),
  );
}

export function s5Table(r: Results) {
  const { s1, s5 } = r;
  const httpRate = s1.fixed.throughput;
  const perGeneration = s5.statements.generation;
  const httpStatements = httpStatementsPerGeneration(r);
  const row = (label: string, statements: number, rate: number, p50: number, share: string) => [
    label,
    count(statements),
    perSecond(rate),
    statements === 0 ? "—" : perSecond(rate * statements),
    ms(p50),
    share,
  ];
  return table(
    [`Path (${S5.workers} concurrent loops, own projects, latency 0)`, "statements / op", "rate", "statements / s", "latency p50", "HTTP generation / this"],
    [
      row("postgres.js, prepared: the apply step alone (the generation's last transaction)", s5.statements.apply, s5.apply.rate, s5.apply.latency.p50, pct(httpRate / s5.apply.rate)),
      row("postgres.js, prepared: all SQL of one generation", perGeneration, s5.wholeGeneration.rate, s5.wholeGeneration.latency.p50, pct(httpRate / s5.wholeGeneration.rate)),
      row(
        "postgres.js, unprepared (as sent behind a transaction pooler): all SQL of one generation",
        perGeneration,
        s5.wholeGenerationUnprepared.rate,
        s5.wholeGenerationUnprepared.latency.p50,
        pct(httpRate / s5.wholeGenerationUnprepared.rate),
      ),
      row("bare `node:http`: the same query as `project.get` (no Next.js, session or tRPC)", 1, s5.bareHttp.rate, s5.bareHttp.latency.p50, "—"),
      row("bare `node:http`: no query (`/live`)", 0, s5.bareEmpty.rate, s5.bareEmpty.latency.p50, "—"),
      row("Next.js route handler: `/api/health` (one query, `select 1`; no session or tRPC)", 1, s5.nextRoute.rate, s5.nextRoute.latency.p50, "—"),
      row("Next.js route handler: `/api/health/live` (no query: Next.js's own floor)", 0, s5.nextEmpty.rate, s5.nextEmpty.latency.p50, "—"),
      row("HTTP: `project.get` (one query through the session check and tRPC)", 1, s5.httpFloor.rate, s5.httpFloor.latency.p50, "—"),
      row("HTTP: `generation.generateScene` (scenario 1's fixed flow; statements from pg_stat_statements)", httpStatements, httpRate, s1.fixed.p50, "—"),
      row("HTTP, one process per core (2 × `next start`, the loops split): `project.get`", 1, s5.perCore.projectGet.rate, s5.perCore.projectGet.latency.p50, "—"),
      row(
        "HTTP, one process per core (2 × `next start`, the loops split): `generation.generateScene`",
        httpStatements,
        s5.perCore.generateScene.rate,
        s5.perCore.generateScene.latency.p50,
        "—",
      ),
    ],
  );
}

export function s6Table({ s6 }: Results) {
  if (!s6) return "PgBouncer is not installed here: scenario 6 did not run.";
  return table(
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
  );
}

export function statementsTable({ statements, s5 }: Results) {
  const { generation, poll } = statements;
  const row = (label: string, counted: typeof generation, captured: string) => [
    label,
    String(counted.requests),
    count(counted.perRequest),
    count(counted.uncountedEndsPerRequest),
    `**${count(counted.withEndsPerRequest)}**`,
    captured,
    count(counted.writesPerRequest),
    String(counted.failed),
  ];
  return table(
    ["Request (sequential, server A)", "requests", "pg_stat_statements calls / request", "+ COMMITs it does not count", "= statements / request", "captured from the services", "writes / request", "failed"],
    [
      row("`generation.generateScene` (fixed flow, latency 0)", generation, String(s5.statements.generation)),
      row("`generation.getChatMessages` (a chat poll)", poll, "—"),
    ],
  );
}

/** What the server counted per generation, statement by statement. */
export function statementBreakdown({ statements }: Results) {
  const { generation, poll } = statements;
  const perRequest = (counted: typeof generation, label: string) => counted.statements.find((s) => s.label === label)?.perRequest ?? 0;
  const rows = [...new Set([...generation.statements, ...poll.statements].map((s) => s.label))].map((label) => [
    label,
    count(perRequest(generation, label)),
    count(perRequest(poll, label)),
  ]);
  if (generation.uncountedEndsPerRequest > 0 || poll.uncountedEndsPerRequest > 0) {
    rows.push([
      "COMMIT not counted (one per BEGIN; sent as a prepared statement)",
      count(generation.uncountedEndsPerRequest),
      count(poll.uncountedEndsPerRequest),
    ]);
  }
  return table(["Statement (as pg_stat_statements normalises it)", "per generation", "per chat poll"], rows);
}

export function interleavingsTable({ interleavings }: Results) {
  return table(
    ["Strategy", "interleavings run", "broken", "ok after a lock wait", "ok", "deadlock or stuck", "time"],
    interleavings.map((row) => [
      `\`${row.strategy}\``,
      `${row.explored}${row.complete ? " (all)" : ""}`,
      String(row.broken),
      String(row.blocked),
      String(row.ok),
      String(row.other),
      `${(row.durationMs / 1000).toFixed(1)} s`,
    ]),
  );
}

export function pageTable({ page }: Results) {
  return table(
    ["Page", "first-load JS (gzip)", "raw", "chunks", "HTML (gzip)", "TTFB (median of 15)", "full response"],
    [[page.page, kib(page.gzip), kib(page.raw), String(page.chunks), kib(page.htmlGzip), ms(page.ttfb), ms(page.total)]],
  );
}
