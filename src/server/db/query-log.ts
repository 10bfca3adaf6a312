/**
 * The development query log (DATABASE_LOG=1; src/env.ts refuses it in production): one line
 * per statement a pool of ./index.ts sends, with how long it took and the rows it returned
 * or touched, e.g.
 *
 *     [sql]     0.8 ms               begin
 *     [sql]     1.2 ms  1 row        insert into "users" ("id", "created_at") values ($1, default) on conflict do nothing  -- params: text(36)
 *     [sql]     0.9 ms               commit
 *
 * Parameters appear only as their type and length, never their values (a prompt can be long
 * and is the user's). The driver files install it only when given a sink, so with the log off
 * nothing is wrapped and nothing costs anything.
 *
 * Why a wrapper of our own: Drizzle's `logger` and postgres.js's `debug` option both fire when
 * a statement is sent and never learn when it finished (and `debug` makes the driver's errors
 * carry the parameters). So each driver's query call is wrapped, and each statement timed on
 * its own promise — concurrent statements cannot be mixed up. The clock runs from the moment
 * its connection starts on it to its result: waiting for a pooled connection does not count,
 * nor does waiting behind another statement on the same connection (both drivers run one at a
 * time per connection, in order, so that wait ends when the statement ahead finishes).
 *
 * - node-postgres: every client's `query`, as the pool connects it. Drizzle sends BEGIN,
 *   COMMIT and ROLLBACK through it too.
 * - postgres.js: `unsafe` (all of Drizzle's statements, and the driver's own BEGIN) on the pool
 *   and on each transaction. The driver marks a statement as written to its connection by
 *   setting the query's `state` (its backend); that is the start. COMMIT, ROLLBACK and
 *   SAVEPOINT are sent by `begin`/`savepoint` themselves, out of reach: they are timed as the
 *   gap between the transaction's callback settling and `begin` settling.
 */
import type pg from "pg";
import type { Sql } from "postgres";

/** Receives one finished line per statement. */
export type QueryLogSink = (line: string) => void;

/** DATABASE_LOG=1's sink: the server's console. */
export const consoleQueryLog: QueryLogSink = (line) => console.log(line);

const MAX_SQL_CHARS = 400;

interface Outcome {
  rows?: number | null;
  error?: unknown;
}

const installed = new WeakSet<object>();

/** Whether the query log wraps this pool (postgres.js `Sql` or `pg.Pool`). */
export function hasQueryLog(pool: object): boolean {
  return installed.has(pool);
}

/** One line: duration, rows or the error's code, the statement (whitespace folded, cut), the parameters' shapes. */
export function formatQueryLine(text: string, params: readonly unknown[], ms: number | undefined, { rows, error }: Outcome): string {
  const duration = ms === undefined ? "not sent" : `${ms.toFixed(1)} ms`;
  const status = error !== undefined ? `ERROR ${errorCode(error)}` : typeof rows === "number" ? `${rows} ${rows === 1 ? "row" : "rows"}` : "";
  const folded = text.replace(/\s+/g, " ").trim();
  const statement = folded.length > MAX_SQL_CHARS ? `${folded.slice(0, MAX_SQL_CHARS)}… (+${folded.length - MAX_SQL_CHARS} chars)` : folded;
  const shapes = params.length > 0 ? `  -- params: ${params.map(shapeOf).join(", ")}` : "";
  return `[sql] ${duration.padStart(10)}  ${status.padEnd(11)}  ${statement}${shapes}`;
}

/** A parameter's type and size, never its value. */
function shapeOf(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return `text(${value.length})`;
  if (value instanceof Date) return "date";
  if (value instanceof Uint8Array) return `bytes(${value.length})`;
  if (Array.isArray(value)) return `array(${value.length})`;
  return typeof value === "object" ? "json" : typeof value;
}

/** The SQLSTATE (or the driver's code) only: a message can quote a value. */
function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : error instanceof Error ? error.name : "unknown";
}

/** Times statements on one connection: a statement queued behind another starts when that one ends. */
class ConnectionClock {
  private lastDoneAt = 0;

  finish(startedAt: number): number {
    const now = performance.now();
    const ms = now - Math.max(startedAt, this.lastDoneAt);
    this.lastDoneAt = now;
    return ms;
  }
}

// --- node-postgres ----------------------------------------------------------------------

type Callback = (error: Error | undefined, result: unknown) => void;

export function logNodePostgresQueries(pool: pg.Pool, sink: QueryLogSink): void {
  installed.add(pool);
  pool.on("connect", (client) => logNodePostgresClient(client, sink));
}

function logNodePostgresClient(client: pg.PoolClient, sink: QueryLogSink) {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const clock = new ConnectionClock();
  const wrapped = (...args: unknown[]): unknown => {
    const config = args[0] as string | { text?: string; values?: unknown[]; submit?: unknown };
    if (typeof config === "object" && typeof config.submit === "function") return query(...args); // a stream or cursor
    const text = typeof config === "string" ? config : (config.text ?? "");
    const params = Array.isArray(args[1]) ? (args[1] as unknown[]) : typeof config === "object" ? (config.values ?? []) : [];
    const startedAt = performance.now();
    const report = (outcome: Outcome) => sink(formatQueryLine(text, params, clock.finish(startedAt), outcome));
    const last = args.at(-1);
    if (typeof last === "function") {
      // Callback style, as pg-pool's own pool.query calls it.
      const callback = last as Callback;
      args[args.length - 1] = ((error, result) => {
        report(error ? { error } : { rows: rowCount(result) });
        callback(error, result);
      }) satisfies Callback;
      return query(...args);
    }
    const result = query(...args) as Promise<unknown>;
    void result.then(
      (value) => report({ rows: rowCount(value) }),
      (error: unknown) => report({ error }),
    );
    return result;
  };
  Object.assign(client, { query: wrapped });
}

function rowCount(result: unknown): number | null {
  const results = (Array.isArray(result) ? result : [result]) as { rowCount?: number | null }[];
  return results.reduce<number | null>((sum, { rowCount }) => (typeof rowCount === "number" ? (sum ?? 0) + rowCount : sum), null);
}

// --- postgres.js ------------------------------------------------------------------------

/** What the wrapper touches of a postgres.js `Sql` (the pool, a transaction, a savepoint). */
interface PostgresJsScope {
  unsafe: (...args: unknown[]) => unknown;
  savepoint?: (...args: unknown[]) => Promise<unknown>;
}

/** A connection's backend key (`{ pid, secret }`), which postgres.js puts in `query.state`, to its clock. */
const postgresJsClocks = new WeakMap<object, ConnectionClock>();

export function logPostgresJsQueries(client: Sql, sink: QueryLogSink): void {
  installed.add(client);
  logPostgresJsScope(client as unknown as PostgresJsScope, sink);
  const begin = client.begin.bind(client) as (...args: unknown[]) => Promise<unknown>;
  const wrapped = (...args: unknown[]) => aroundCallback(sink, begin, args, { failed: "rollback", ok: "commit" });
  Object.assign(client, { begin: wrapped });
}

function logPostgresJsScope(scope: PostgresJsScope, sink: QueryLogSink) {
  const unsafe = scope.unsafe.bind(scope);
  const wrappedUnsafe = (...args: unknown[]) => {
    const query = unsafe(...args) as Promise<unknown> & { state: unknown };
    timeFromSend(query, String(args[0]), Array.isArray(args[1]) ? (args[1] as unknown[]) : [], sink);
    return query;
  };
  Object.assign(scope, { unsafe: wrappedUnsafe });
  const savepoint = scope.savepoint?.bind(scope);
  if (savepoint) {
    const wrappedSavepoint = (...args: unknown[]) =>
      aroundCallback(sink, savepoint, args, { before: "savepoint", failed: "rollback to savepoint" });
    Object.assign(scope, { savepoint: wrappedSavepoint });
  }
}

function timeFromSend(query: Promise<unknown> & { state: unknown }, text: string, params: unknown[], sink: QueryLogSink) {
  let state = query.state;
  let sentAt: number | undefined;
  Reflect.defineProperty(query, "state", {
    configurable: true,
    enumerable: true,
    get: () => state,
    set: (value: unknown) => {
      state = value;
      sentAt ??= performance.now();
    },
  });
  const report = (outcome: Outcome) => {
    let ms: number | undefined;
    if (sentAt !== undefined) {
      const key = typeof state === "object" && state !== null ? state : query;
      let clock = postgresJsClocks.get(key);
      if (!clock) postgresJsClocks.set(key, (clock = new ConnectionClock()));
      ms = clock.finish(sentAt);
    }
    sink(formatQueryLine(text, params, ms, outcome));
  };
  // The Promise's own `then`: the query's `then` would start it, and Drizzle may still call
  // `.values()` on it before it runs.
  void Promise.prototype.then.call(
    query,
    (result) => report({ rows: (result as { count?: number } | null)?.count ?? null }),
    (error: unknown) => report({ error }),
  );
}

/**
 * `begin(fn)` / `savepoint(fn)` with fn's scope logged, and the statements the driver sends
 * itself around fn timed: `before` from the call to fn's start, COMMIT or ROLLBACK from fn
 * settling to the driver's promise settling.
 */
function aroundCallback(
  sink: QueryLogSink,
  open: (...args: unknown[]) => Promise<unknown>,
  args: unknown[],
  labels: { before?: string; ok?: string; failed: string },
): Promise<unknown> {
  const callback = args.at(-1);
  if (typeof callback !== "function") return open(...args);
  const calledAt = performance.now();
  let settledAt: number | undefined;
  let callbackFailed = false;
  const line = (text: string, since: number, outcome: Outcome = {}) =>
    sink(formatQueryLine(text, [], performance.now() - since, outcome));
  const outcome = open(...args.slice(0, -1), (scope: PostgresJsScope) => {
    if (labels.before) line(labels.before, calledAt);
    logPostgresJsScope(scope, sink);
    const result: unknown = (callback as (scope: PostgresJsScope) => unknown)(scope);
    return Promise.resolve(Array.isArray(result) ? Promise.all(result) : result).then(
      (value) => {
        settledAt = performance.now();
        return value;
      },
      (error: unknown) => {
        settledAt = performance.now();
        callbackFailed = true;
        throw error;
      },
    );
  });
  void outcome.then(
    () => {
      if (settledAt !== undefined && labels.ok) line(labels.ok, settledAt);
    },
    (error: unknown) => {
      if (settledAt === undefined) return; // BEGIN failed, or the connection closed mid-way
      if (callbackFailed) line(labels.failed, settledAt);
      else if (labels.ok) line(labels.ok, settledAt, { error });
    },
  );
  return outcome;
}
