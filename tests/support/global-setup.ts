/**
 * Gives the test run a migrated database. With DATABASE_URL set (CI's second pass) it
 * uses that database as given; otherwise it starts the embedded server in
 * `.data/test-postgres` (a throwaway folder if another run holds it), creates a fresh
 * database for this run and drops it afterwards.
 */
import { rmSync } from "node:fs";
import path from "node:path";

import postgres from "postgres";
import type { TestProject } from "vitest/node";

import { DataDirInUseError, startEmbeddedPostgres } from "~/server/db/embedded";
import { migrateDatabase } from "~/server/db/migrate";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  if (process.env.DATABASE_URL) {
    // Behind a transaction pooler (scripts/run-pooler.ts) migrations go to the server itself.
    await migrateDatabase(process.env.DATABASE_DIRECT_URL ?? process.env.DATABASE_URL);
    project.provide("databaseUrl", process.env.DATABASE_URL);
    return;
  }

  const server = await startTestPostgres();
  const database = `race_safe_test_${Date.now()}_${process.pid}`;
  const admin = postgres(server.adminUrl, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`create database ${database}`);
  const url = server.url.replace(/\/[^/]+$/, `/${database}`);
  await migrateDatabase(url);
  project.provide("databaseUrl", url);

  return async () => {
    await admin.unsafe(`drop database if exists ${database} with (force)`);
    await admin.end();
    await server.stop();
    if (server.temporary) rmSync(server.dataDir, { recursive: true, force: true });
  };
}

/** `.data/test-postgres`, or a throwaway folder while another test run holds that one. */
async function startTestPostgres() {
  const options = { dataDir: path.join(process.cwd(), ".data", "test-postgres"), log: () => undefined };
  try {
    return { ...(await startEmbeddedPostgres(options)), temporary: false };
  } catch (error) {
    if (!(error instanceof DataDirInUseError)) throw error;
    const dataDir = path.join(process.cwd(), ".data", `test-postgres-${process.pid}`);
    return { ...(await startEmbeddedPostgres({ ...options, dataDir })), temporary: true };
  }
}
