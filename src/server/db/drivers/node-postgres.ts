/**
 * node-postgres (`pg`, DATABASE_DRIVER=node-postgres). A client whose connection dies (a
 * restarted server, a terminated backend, an idle transaction ended by the server) emits
 * `error` — the pool for an idle client, the client itself while it is checked out, as in a
 * transaction. An `error` event with no listener is an uncaught exception that ends the Node
 * process, so both get one; the query that was running still fails on its own. It prepares no
 * named statements unless asked to, so behind a transaction pooler it needs only the settings
 * left out. See docs/deploying.md.
 */
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";

import { logNodePostgresQueries } from "../query-log";
import * as schema from "../schema";
import type { OpenedPool, PoolOptions } from "./types";

export function openNodePostgres(url: string, options: PoolOptions): OpenedPool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max,
    connectionTimeoutMillis: options.connectTimeoutMs,
    ...(options.applicationName ? { application_name: options.applicationName } : {}),
    ...(options.behindPooler ? {} : options.settings),
  });
  const lost = (error: Error) => console.warn("[db] a node-postgres connection failed:", error.message);
  pool.on("error", lost);
  pool.on("connect", (client) => client.on("error", lost));
  if (options.queryLog) logNodePostgresQueries(pool, options.queryLog);
  return { db: drizzle(pool, { schema }), close: () => pool.end() };
}
