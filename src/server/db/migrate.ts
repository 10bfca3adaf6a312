/**
 * Applies the committed drizzle-kit migrations in `drizzle/`. Runs on every app and
 * test start; an advisory lock makes two processes starting together (two app
 * instances on one database) take turns instead of racing on the journal table.
 */
import path from "node:path";

import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";

import { behindTransactionPooler, sessionSettings } from "./session-settings";

const MIGRATION_LOCK_KEY = 7_281_904_113;

/**
 * `url` must reach the server itself (DATABASE_DIRECT_URL behind a pooler): the advisory
 * lock is a session's. Behind a transaction pooler it also makes the statement bounds the
 * role's defaults in this database (./session-settings.ts), since the pooler cannot carry them.
 */
export async function migrateDatabase(url: string, { behindPooler = behindTransactionPooler() } = {}) {
  const sql = postgres(url, { max: 1, onnotice: () => undefined });
  try {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    await migrate(drizzle(sql), { migrationsFolder: path.join(process.cwd(), "drizzle") });
    if (behindPooler) await setRoleDefaults(sql);
  } finally {
    await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.catch(() => undefined);
    await sql.end();
  }
}

/** `ALTER ROLE current_user IN DATABASE <this one> SET …` for each bound: new sessions start with them. */
async function setRoleDefaults(sql: postgres.Sql) {
  const [row] = await sql<{ name: string }[]>`select current_database() as name`;
  if (!row) throw new Error("no current database");
  const database = `"${row.name.replaceAll('"', '""')}"`;
  for (const [setting, ms] of Object.entries(sessionSettings())) {
    await sql.unsafe(`alter role current_user in database ${database} set ${setting} = ${Number(ms)}`);
  }
}
