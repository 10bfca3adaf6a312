/**
 * Applies the committed drizzle-kit migrations in `drizzle/`. Runs on every app and
 * test start; an advisory lock makes two processes starting together (two app
 * instances on one database) take turns instead of racing on the journal table.
 */
import path from "node:path";

import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";

const MIGRATION_LOCK_KEY = 7_281_904_113;

export async function migrateDatabase(url: string) {
  const sql = postgres(url, { max: 1, onnotice: () => undefined });
  try {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    await migrate(drizzle(sql), { migrationsFolder: path.join(process.cwd(), "drizzle") });
  } finally {
    await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.catch(() => undefined);
    await sql.end();
  }
}
