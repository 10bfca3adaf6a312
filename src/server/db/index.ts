/**
 * The one database client: a postgres.js pool wrapped by Drizzle, created on first
 * use and cached on `globalThis` so hot reload and Next's separate server bundles in
 * one process share a single pool instead of leaking connections.
 * See README.md ("Database").
 */
import "server-only";

import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";

import { env } from "~/env";
import * as schema from "./schema";

export type Database = PostgresJsDatabase<typeof schema>;

const cacheKey = Symbol.for("race-safe.db");
type DbCache = { [cacheKey]?: { url: string; db: Database; close: () => Promise<void> } };
const cache = globalThis as DbCache;

export interface DatabaseOptions {
  /** Connections in the pool. */
  max?: number;
  /** Shown in pg_stat_activity, so a connection can be told apart. */
  applicationName?: string;
}

/**
 * A pool of its own, closed by the caller: for code that needs connections apart from
 * the app's (one connection per request in the interleaving explorer, scripts).
 */
export function openDatabase(url: string, { max = env.DATABASE_POOL_MAX, applicationName }: DatabaseOptions = {}) {
  const client = postgres(url, {
    max,
    onnotice: () => undefined,
    ...(applicationName ? { connection: { application_name: applicationName } } : {}),
  });
  return { client, db: drizzle(client, { schema }), close: () => client.end({ timeout: 5 }) };
}

function createDatabase(url: string) {
  return { url, ...openDatabase(url) };
}

export function getDatabaseUrl() {
  const url = process.env.DATABASE_URL ?? env.DATABASE_URL;
  if (!url) {
    throw new Error(
      "DATABASE_URL is not set. Start the app with `npm run dev` or `npm start`, which start an " +
        "embedded PostgreSQL for you, or set DATABASE_URL to a PostgreSQL server.",
    );
  }
  return url;
}

/** The shared Drizzle handle. Resolved on first use, so `next build` never needs a database. */
export function getDb(): Database {
  const url = getDatabaseUrl();
  const cached = cache[cacheKey];
  if (cached?.url === url) return cached.db;
  const created = createDatabase(url);
  cache[cacheKey] = created;
  return created.db;
}

/** Closes the pool (tests and scripts; the server keeps it for the life of the process). */
export async function closeDatabase() {
  const cached = cache[cacheKey];
  cache[cacheKey] = undefined;
  await cached?.close();
}
