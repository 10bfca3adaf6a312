/**
 * Embedded PostgreSQL helpers for the scripts (run-e2e, bench, soak). The server itself
 * is src/server/db/embedded.ts; this file adds the parts a script that owns the server
 * needs: a throwaway cluster in a temp folder, and a stop that never throws.
 */
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import postgres from "postgres";

import { startEmbeddedPostgres, type EmbeddedDatabase } from "~/server/db/embedded";

/**
 * Stops the embedded server, logging instead of throwing: a cleanup path must finish.
 * A Ctrl-C in a terminal reaches PostgreSQL directly (same process group) and it may
 * already be down; stop() then just waits for the exit that has happened.
 */
export async function stopEmbedded(database: EmbeddedDatabase | undefined, label: string) {
  await database?.stop().catch((error: unknown) => console.error(`[${label}] could not stop PostgreSQL:`, error));
}

export interface ThrowawayDatabase {
  url: string;
  dataDir: string;
  /** Stops the server and deletes its folder. Safe to call more than once. */
  dispose: () => Promise<void>;
}

/**
 * A fresh cluster in a new temp folder (initdb, a few seconds), for a run whose numbers
 * must not depend on what an earlier run left behind. The folder is made enterable by
 * the `postgres` user (mkdtemp creates it 0700) and deleted by dispose(). `settings` are
 * further server settings (the bench preloads pg_stat_statements).
 */
export async function startThrowawayPostgres(
  label: string,
  { settings }: { settings?: Record<string, string> } = {},
): Promise<ThrowawayDatabase> {
  const root = mkdtempSync(path.join(tmpdir(), `race-safe-${label}-`));
  chmodSync(root, 0o755);
  const dataDir = path.join(root, "pgdata");
  let database: EmbeddedDatabase | undefined;
  let disposed: Promise<void> | undefined;
  const dispose = () =>
    (disposed ??= (async () => {
      await stopEmbedded(database, label);
      rmSync(root, { recursive: true, force: true });
    })());
  try {
    database = await startEmbeddedPostgres({ dataDir, log: () => undefined, settings });
  } catch (error) {
    await dispose();
    throw error;
  }
  return { url: database.url, dataDir: database.dataDir, dispose };
}

/** The server's version (`server_version`, e.g. "18.4"), for a report's setup table. */
export async function serverVersion(url: string) {
  const sql = postgres(url, { max: 1, onnotice: () => undefined });
  try {
    const [row] = await sql<{ version: string }[]>`select current_setting('server_version') as version`;
    return row?.version ?? "?";
  } finally {
    await sql.end({ timeout: 5 });
  }
}
