/**
 * Runs a command with a migrated PostgreSQL behind it:
 *   node --import tsx scripts/with-database.ts next dev
 * With DATABASE_URL set it migrates that database (through DATABASE_DIRECT_URL when set:
 * behind a transaction pooler, migrations need the server itself); without it, it starts the embedded
 * server (src/server/db/embedded.ts) and passes its URL on. It stops that server when
 * the command exits or on SIGINT/SIGTERM. With no command it only migrates (db:migrate).
 */
import "./lib/load-env-files";

import { spawn } from "node:child_process";
import path from "node:path";

import { parseEnv } from "~/env";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "~/server/db/embedded";
import { migrateDatabase } from "~/server/db/migrate";

async function main() {
  const env = parseEnv();
  const [command, ...args] = process.argv.slice(2);

  let embedded: EmbeddedDatabase | undefined;
  const url =
    env.DATABASE_URL ??
    (embedded = await startEmbeddedPostgres({
      dataDir: env.PGDATA_DIR ?? path.join(process.cwd(), ".data", "postgres"),
      // Drizzle Studio and migrations share the server `npm run dev` runs; an app never does.
      shareRunning: command !== "next",
    })).url;

  await migrateDatabase(embedded ? url : (env.DATABASE_DIRECT_URL ?? url));
  console.log(`[db] migrations applied (${embedded ? "embedded PostgreSQL" : env.DATABASE_DIRECT_URL ? "DATABASE_DIRECT_URL" : "DATABASE_URL"})`);

  if (!command) {
    await embedded?.stop();
    return;
  }

  const child = spawn(command, args, {
    stdio: "inherit",
    env: { ...process.env, DATABASE_URL: url },
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => child.kill(signal));
  }
  const exitCode = await new Promise<number>((resolve) => {
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 128 + 2 : 1)));
    child.on("error", (error) => {
      console.error(`[with-database] could not run ${command}: ${error.message}`);
      resolve(127);
    });
  });
  await embedded?.stop();
  process.exit(exitCode);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
