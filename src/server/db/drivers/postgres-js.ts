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
  if (!options.behindPooler) prepareDrizzleStatements(client as unknown as Scope);
  if (options.queryLog) logPostgresJsQueries(client, options.queryLog);
  return { db: drizzle(client, { schema }), close: () => client.end({ timeout: 5 }) };
}

/** What is wrapped of a postgres.js `Sql`: the pool, a transaction, a savepoint. */
interface Scope {
  unsafe: (...args: unknown[]) => unknown;
  begin?: (...args: unknown[]) => Promise<unknown>;
  savepoint?: (...args: unknown[]) => Promise<unknown>;
}

/**
 * Drizzle sends every statement through postgres.js's `unsafe` with `prepare: false` (unless
 * the query was named with `.prepare(name)`), so each call was parsed and planned again. Asked here (on the pool and in every
 * transaction and savepoint), each distinct statement is prepared once per connection: the
 * same SQL ran 1.7× faster prepared in `npm run bench` (scenario 5). Never behind a
 * transaction pooler, where the next transaction may run on a connection that never saw it.
 */
function prepareDrizzleStatements(scope: Scope) {
  const unsafe = scope.unsafe.bind(scope);
  // Drizzle asks for `prepare: false` on every statement not named with `.prepare(name)`.
  scope.unsafe = (query: unknown, args?: unknown, options?: unknown) =>
    Array.isArray(args) || args === undefined
      ? unsafe(query, args ?? [], { ...(options as object | undefined), prepare: true })
      : unsafe(query, { ...(args as object), prepare: true });
  for (const name of ["begin", "savepoint"] as const) {
    const open = scope[name]?.bind(scope);
    if (!open) continue;
    scope[name] = (...args: unknown[]) => {
      const callback = args.at(-1);
      if (typeof callback !== "function") return open(...args);
      return open(...args.slice(0, -1), (inner: Scope) => {
        prepareDrizzleStatements(inner);
        return (callback as (inner: Scope) => unknown)(inner);
      });
    };
  }
}
