/**
 * postgres.js (the default driver, DATABASE_DRIVER=postgres-js). Patched at install by
 * scripts/patch-postgres.mjs for five bugs in how a dying connection is torn down; its
 * reconnect backoff is capped here. See docs/reliability.md ("Driver bugs we patch").
 */
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";

import { logPostgresJsQueries } from "../query-log";
import * as schema from "../schema";
import type { OpenedPool, PoolOptions } from "./types";

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

export function openPostgresJs(url: string, options: PoolOptions): OpenedPool {
  const client = postgres(url, {
    max: options.max,
    onnotice: () => undefined,
    connect_timeout: options.connectTimeoutMs / 1000,
    backoff: (retries) => reconnectDelaySeconds(retries),
    // A transaction pooler hands each transaction any server connection: a statement prepared
    // on one is unknown on the next.
    prepare: !options.behindPooler,
    connection: {
      ...(options.applicationName ? { application_name: options.applicationName } : {}),
      ...(options.behindPooler ? {} : options.settings),
    },
  });
  if (options.queryLog) logPostgresJsQueries(client, options.queryLog);
  return { db: drizzle(client, { schema }), close: () => client.end({ timeout: 5 }) };
}
