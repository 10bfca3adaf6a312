/**
 * The one database client: a postgres.js pool wrapped by Drizzle, created on first
 * use and cached on `globalThis` so hot reload and Next's separate server bundles in
 * one process share a single pool instead of leaking connections. Every connection is
 * bounded: `statement_timeout`, `lock_timeout` and `idle_in_transaction_session_timeout`
 * are set when it opens, connecting gives up after DATABASE_CONNECT_TIMEOUT_MS, and the
 * driver's reconnect backoff is capped. See README.md ("Database") and docs/reliability.md.
 */
import "server-only";

import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";

import { env } from "~/env";
import { LockQueue } from "./lock-queue";
import { behindTransactionPooler, sessionSettings } from "./session-settings";
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

const RECONNECT_DELAY_BASE_S = 0.05;
const RECONNECT_DELAY_CAP_S = 1;

/**
 * Seconds before the driver reconnects after `retries` failed connections in a row
 * (postgres.js's `backoff`). Its default grows to 20 s, so after a few waves of dropped
 * connections a request waited up to 20 s for a reconnect; this one doubles from 50 ms
 * and stops at 1 s, with jitter so a pool does not reconnect in lockstep.
 */
export function reconnectDelaySeconds(retries: number, random: () => number = Math.random): number {
  return Math.min(RECONNECT_DELAY_CAP_S, RECONNECT_DELAY_BASE_S * 2 ** retries) * (0.5 + random() / 2);
}


const lockQueues = new WeakMap<Database, LockQueue>();

/** The lock queue of `db`'s pool (./lock-queue.ts); one per pool. */
export function lockQueueOf(db: Database): LockQueue {
  let queue = lockQueues.get(db);
  if (!queue) lockQueues.set(db, (queue = new LockQueue(env.DATABASE_POOL_MAX)));
  return queue;
}

/**
 * A pool of its own, closed by the caller: for code that needs connections apart from
 * the app's (one connection per request in the interleaving explorer, scripts).
 */
export function openDatabase(url: string, { max = env.DATABASE_POOL_MAX, applicationName }: DatabaseOptions = {}) {
  const pooled = behindTransactionPooler();
  const client = postgres(url, {
    max,
    onnotice: () => undefined,
    connect_timeout: env.DATABASE_CONNECT_TIMEOUT_MS / 1000,
    backoff: (retries) => reconnectDelaySeconds(retries),
    // A transaction pooler hands each transaction any server connection: a statement prepared
    // on one is unknown on the next. Its session settings come from the role (./session-settings.ts).
    prepare: !pooled,
    connection: {
      ...(applicationName ? { application_name: applicationName } : {}),
      ...(pooled ? {} : sessionSettings()),
    },
  });
  const db = drizzle(client, { schema });
  lockQueues.set(db, new LockQueue(max));
  return { client, db, close: () => client.end({ timeout: 5 }) };
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
