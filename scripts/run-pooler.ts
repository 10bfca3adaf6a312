/**
 * The integration suites through a transaction pooler: a throwaway PostgreSQL, PgBouncer in
 * transaction mode in front of it (scripts/lib/pgbouncer.ts), then Vitest with the app
 * configured as it would be behind one (DATABASE_URL = PgBouncer, DATABASE_DIRECT_URL = the
 * server, DATABASE_POOLER=transaction), once per driver (DATABASE_DRIVER picks one).
 *   npm run test:pooler [-- test files]   (default: SUITES below)
 * Without PgBouncer installed it says so and exits 0, so `npm test` works on a machine
 * without it; CI installs it (.ci/run). See docs/deploying.md.
 */
import { spawn } from "node:child_process";

import { findPgBouncer, startPgBouncer } from "./lib/pgbouncer";
import { startThrowawayPostgres } from "./lib/embedded";

/**
 * What runs through the pooler so far: the naive-versus-fixed cases, the race, idempotency,
 * contention, fault and request suites. Not yet: the interleaving explorer and the Race Lab's
 * lanes (they name backends by the pid in BackendKeyData, which PgBouncer replaces), and the
 * tests that stub per-connection settings (see docs/deploying.md).
 */
const SUITES = [
  "tests/pooler",
  ...[
    "welcome-reset-race",
    "generate-scene",
    "idempotency",
    "transactions",
    "scene-update",
    "exchange-lease",
    "ownership",
    "project",
    "contention",
    "faults",
    "hostile-input",
    "http",
    "request-guards",
    "lab-bounds",
    "scene-unlink-index",
  ].map((name) => `tests/integration/${name}.test.ts`),
];

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
      const drivers = process.env.DATABASE_DRIVER ? [process.env.DATABASE_DRIVER] : ["postgres-js", "node-postgres"];
      const results: string[] = [];
      let exitCode = 0;
      for (const driver of drivers) {
        const started = Date.now();
        const code = await runVitest(args.length > 0 ? args : SUITES, {
          DATABASE_DRIVER: driver,
          DATABASE_URL: bouncer.url,
          DATABASE_DIRECT_URL: database.url,
          DATABASE_POOLER: "transaction",
        });
        results.push(`[pooler] ${driver} through PgBouncer: ${code === 0 ? "passed" : `FAILED (exit ${code})`} in ${Math.round((Date.now() - started) / 1000)} s`);
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

function runVitest(args: string[], env: Record<string, string>) {
  const child = spawn("npx", ["vitest", "run", ...args], { stdio: "inherit", env: { ...process.env, ...env } });
  return new Promise<number>((resolve) => child.on("exit", (code) => resolve(code ?? 1)));
}

process.exitCode = await main();
