/**
 * The one database client: a pool of the driver DATABASE_DRIVER names (postgres.js by
 * default, or node-postgres; ./drivers/) wrapped by Drizzle, created on first use and
 * cached on `globalThis` so hot reload and Next's separate server bundles in one process
 * share a single pool instead of leaking connections. Nothing else knows which driver
 * runs. Every connection is bounded: `statement_timeout`, `lock_timeout` and
 * `idle_in_transaction_session_timeout` (./session-settings.ts), a connect timeout, a capped
 * reconnect backoff. DATABASE_LOG=1 logs every statement with its duration (./query-log.ts).
 * See README.md ("Database"), docs/reliability.md and docs/deploying.md.
 */
import "server-only";

import { env } from "~/env";
import { processSlot } from "~/server/process-singleton";
import { openNodePostgres } from "./drivers/node-postgres";
import { openPostgresJs } from "./drivers/postgres-js";
import type { Database } from "./drivers/types";
import { LockQueue } from "./lock-queue";
import { consoleQueryLog, type QueryLogSink } from "./query-log";
import { behindTransactionPooler, sessionSettings } from "./session-settings";

export type { Database } from "./drivers/types";

/** The shared pool, one per process (hot reload and Next's server bundles reuse it). */
const shared = processSlot<{ url: string; db: Database; close: () => Promise<void> }>("race-safe.db");

export interface DatabaseOptions {
  /** Connections in the pool. */
  max?: number;
  /** Shown in pg_stat_activity, so a connection can be told apart. */
  applicationName?: string;
  /** Where the query log goes (./query-log.ts); default: the console with DATABASE_LOG=1, else no log. */
  queryLog?: QueryLogSink;
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
export function openDatabase(url: string, { max = env.DATABASE_POOL_MAX, applicationName, queryLog }: DatabaseOptions = {}) {
  const open = env.DATABASE_DRIVER === "node-postgres" ? openNodePostgres : openPostgresJs;
  const { db, close } = open(url, {
    max,
    applicationName,
    behindPooler: behindTransactionPooler(),
    settings: sessionSettings(),
    connectTimeoutMs: env.DATABASE_CONNECT_TIMEOUT_MS,
    queryLog: queryLog ?? (env.DATABASE_LOG ? consoleQueryLog : undefined),
  });
  lockQueues.set(db, new LockQueue(max));
  return { db, close };
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
  const cached = shared.get();
  if (cached?.url === url) return cached.db;
  const created = createDatabase(url);
  shared.set(created);
  return created.db;
}

/** Closes the pool (tests and scripts; the server keeps it for the life of the process). */
export async function closeDatabase() {
  const cached = shared.get();
  shared.set(undefined);
  await cached?.close();
}
