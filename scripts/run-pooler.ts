/**
 * The integration suites through a transaction pooler: a throwaway PostgreSQL, PgBouncer in
 * transaction mode in front of it (scripts/lib/pgbouncer.ts), then Vitest with the app
 * configured as it would be behind one (DATABASE_URL = PgBouncer, DATABASE_DIRECT_URL = the
 * server, DATABASE_POOLER=transaction), once per driver (DATABASE_DRIVER picks one).
 *   npm run test:pooler [-- test files]   (default: tests/pooler and the integration and race suites of
 *   scripts/lib/suites.ts; `npm run test:matrix` adds the explorer, and the direct connections)
 * Without PgBouncer installed it says so and exits 0, so `npm test` works on a machine
 * without it; CI installs it (.ci/run). See docs/deploying.md.
 */
import { findPgBouncer, startPgBouncer } from "./lib/pgbouncer";
import { startThrowawayPostgres } from "./lib/embedded";
import { checkSuites, POOLER_ONLY, suiteFiles } from "./lib/suites";
import { runVitest } from "./lib/vitest-run";

async function main() {
  if (!findPgBouncer()) {
    console.log("[pooler] PgBouncer is not installed (apt-get install pgbouncer, or PGBOUNCER_PATH): skipped");
    return 0;
  }
  const database = await startThrowawayPostgres("pooler");
  try {
    const bouncer = await startPgBouncer(database.url);
    try {
      console.log(`[pooler] PgBouncer ${bouncer.url.replace(/\/\/[^@]*@/, "//")} (transaction mode) → PostgreSQL`);
      const args = process.argv.slice(2);
      checkSuites();
      // The naive configurations, then the integration and race suites but the few a pooler has
      // no part in (scripts/lib/suites.ts). The explorer through the pooler: npm run test:matrix.
      const files = [...POOLER_ONLY, ...(["integration", "race"] as const).flatMap((suite) => suiteFiles(suite, { pooled: true }))];
      const drivers = process.env.DATABASE_DRIVER ? [process.env.DATABASE_DRIVER] : ["postgres-js", "node-postgres"];
      const results: string[] = [];
      let exitCode = 0;
      for (const driver of drivers) {
        const { exitCode: code, seconds, files: ran } = await runVitest(args.length > 0 ? args : files, {
          DATABASE_DRIVER: driver,
          DATABASE_URL: bouncer.url,
          DATABASE_DIRECT_URL: database.url,
          DATABASE_POOLER: "transaction",
        });
        const tests = ran.reduce((sum, file) => sum + file.tests, 0);
        results.push(
          `[pooler] ${driver} through PgBouncer: ${code === 0 ? "passed" : `FAILED (exit ${code})`}, ${ran.length} files / ${tests} tests in ${seconds} s`,
        );
        exitCode ||= code;
      }
      for (const line of results) console.log(line);
      return exitCode;
    } finally {
      await bouncer.stop();
    }
  } finally {
    await database.dispose();
  }
}

process.exitCode = await main();
