/**
 * `npm run test:matrix`: the integration, race and explorer suites (scripts/lib/suites.ts) on
 * every stack the app supports — {postgres.js, node-postgres} × {straight to PostgreSQL,
 * PgBouncer in transaction mode} — on one throwaway PostgreSQL, then one table of what passed,
 * printed and written into docs/deploying.md ("The matrix"). One Vitest run per cell, its
 * JSON report read back per file. Without PgBouncer the pooled cells say so.
 *   npm run test:matrix   (~15 min on 2 cores; CI runs the same cells as separate passes)
 */
import { readFileSync, writeFileSync } from "node:fs";

import { serverVersion, startThrowawayPostgres } from "./lib/embedded";
import { findPgBouncer, startPgBouncer } from "./lib/pgbouncer";
import { checkSuites, DIRECT_ONLY, POOLER_ONLY, SUITES, suiteFiles, type SuiteName } from "./lib/suites";
import { runVitest, type VitestRun } from "./lib/vitest-run";

const DOC = "docs/deploying.md";
const BEGIN = "<!-- test:matrix -->";
const END = "<!-- /test:matrix -->";

const drivers = ["postgres-js", "node-postgres"] as const;
const connections = ["direct", "pgbouncer"] as const;
type Driver = (typeof drivers)[number];
type Connection = (typeof connections)[number];

const driverLabel: Record<Driver, string> = { "postgres-js": "postgres.js", "node-postgres": "node-postgres" };
const connectionLabel: Record<Connection, string> = { direct: "direct", pgbouncer: "PgBouncer (transaction)" };
const rows: { name: string; suite: SuiteName | "pooler" }[] = [
  { name: "integration", suite: "integration" },
  { name: "race", suite: "race" },
  { name: "explorer", suite: "explorer" },
  { name: "naive pooler configurations (`tests/pooler`)", suite: "pooler" },
];

interface Cell {
  driver: Driver;
  connection: Connection;
  run?: VitestRun;
  skipped?: string;
}

function filesOf(suite: SuiteName | "pooler", connection: Connection) {
  if (suite === "pooler") return connection === "pgbouncer" ? POOLER_ONLY : [];
  return suiteFiles(suite, { pooled: connection === "pgbouncer" });
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? "" : "s"}`;

const belongsTo = (file: string, entries: string[]) => entries.some((entry) => file === entry || file.startsWith(`${entry}/`));

function cellText(cell: Cell, suite: SuiteName | "pooler") {
  if (cell.skipped) return cell.skipped;
  const entries = filesOf(suite, cell.connection);
  if (entries.length === 0) return "—";
  const results = (cell.run?.files ?? []).filter((file) => belongsTo(file.file, entries));
  const tests = results.reduce((sum, file) => sum + file.tests, 0);
  const failed = results.filter((file) => !file.passed);
  const left = suite === "pooler" ? 0 : SUITES[suite].length - entries.length;
  const leftOut = left > 0 ? ` (${left} direct-only)` : "";
  if (results.length === 0) return "❌ did not run";
  if (failed.length > 0) return `❌ ${failed.length} of ${plural(results.length, "file")} failed: ${failed.map((file) => file.file).join(", ")}`;
  return `✅ ${plural(results.length, "file")}, ${plural(tests, "test")}${leftOut}`;
}

function render(cells: Cell[], server: string, seconds: number) {
  const columns = drivers.flatMap((driver) => connections.map((connection) => cells.find((cell) => cell.driver === driver && cell.connection === connection) as Cell));
  const header = ["Suite", ...columns.map((cell) => `${driverLabel[cell.driver]}, ${connectionLabel[cell.connection]}`)];
  const body = rows.map((row) => [row.name, ...columns.map((cell) => cellText(cell, row.suite))]);
  const times = ["wall time", ...columns.map((cell) => (cell.run ? `${cell.run.seconds} s` : "—"))];
  const line = (values: string[]) => `| ${values.join(" | ")} |`;
  const table = [line(header), line(header.map(() => "---")), ...body.map(line), line(times)].join("\n");
  const directOnly = Object.entries(DIRECT_ONLY)
    .map(([file, why]) => `- \`${file}\`: ${why}.`)
    .join("\n");
  return `Produced by \`npm run test:matrix\` ([\`scripts/run-matrix.ts\`](../scripts/run-matrix.ts)) on ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC, ${seconds} s in all: one throwaway ${server}, PgBouncer in transaction mode in front of it, one Vitest run per cell. A file counts once per cell; a suite's files are listed in [\`scripts/lib/suites.ts\`](../scripts/lib/suites.ts).

${table}

What each cell took: **direct**, nothing but the driver (both bound every statement at connection start).
**PgBouncer**, \`DATABASE_POOLER=transaction\` and \`DATABASE_DIRECT_URL\`: no prepared statements, no startup
settings (the bounds are role defaults set by the migration over the direct URL), transaction-local
\`set_config\` only, migrations' advisory lock on the direct URL; and for the test tools, race-kit's lock
monitor, gate and explorer find a session's backend by its \`application_name\` (PgBouncer sets it on every
server connection it hands out) instead of the pid it was given at startup. **node-postgres**: an error
listener on every client, pg's worded connection errors mapped, the drizzle-orm \`transaction()\` patch.

Run directly only (a pooler has no part in what they test):

${directOnly}`;
}

async function main() {
  checkSuites();
  const started = Date.now();
  const database = await startThrowawayPostgres("matrix");
  const server = await serverVersion(database.url);
  const bouncer = findPgBouncer() ? await startPgBouncer(database.url) : undefined;
  const cells: Cell[] = [];
  try {
    for (const driver of drivers) {
      for (const connection of connections) {
        const cell: Cell = { driver, connection };
        cells.push(cell);
        if (connection === "pgbouncer" && !bouncer) {
          cell.skipped = "not run: PgBouncer is not installed";
          continue;
        }
        const files = rows.flatMap((row) => filesOf(row.suite, connection));
        console.log(`\n[matrix] ${driverLabel[driver]}, ${connectionLabel[connection]}: ${files.length} entries`);
        cell.run = await runVitest(
          files,
          connection === "direct"
            ? { DATABASE_DRIVER: driver, DATABASE_URL: database.url, DATABASE_POOLER: undefined, DATABASE_DIRECT_URL: undefined }
            : { DATABASE_DRIVER: driver, DATABASE_URL: bouncer?.url, DATABASE_DIRECT_URL: database.url, DATABASE_POOLER: "transaction" },
        );
      }
    }
  } finally {
    await bouncer?.stop();
    await database.dispose();
  }
  const section = render(cells, `embedded PostgreSQL ${server}`, Math.round((Date.now() - started) / 1000));
  console.log(`\n${section}\n`);
  const doc = readFileSync(DOC, "utf8");
  const from = doc.indexOf(BEGIN);
  const to = doc.indexOf(END);
  if (from >= 0 && to > from) {
    writeFileSync(DOC, `${doc.slice(0, from + BEGIN.length)}\n${section}\n${doc.slice(to)}`);
    console.log(`[matrix] wrote ${DOC}`);
  }
  const failed = cells.some((cell) => cell.run && cell.run.exitCode !== 0);
  return failed ? 1 : 0;
}

process.exitCode = await main();
