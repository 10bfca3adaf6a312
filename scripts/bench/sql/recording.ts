/**
 * A database handle like the app's — Drizzle over postgres.js, the app's schema and
 * session settings — whose driver records every statement it sends, in order: the text
 * and parameters exactly as they go on the wire (postgres.js's `debug` hook, which also
 * sees the BEGIN and COMMIT it sends itself), and the rows each statement answered (so a
 * replay can tell which parameters came from an earlier statement's RETURNING). The bench
 * runs the app's real services through it once and replays what it saw (./replay.ts).
 */
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";

import type { Database } from "~/server/db";
import * as schema from "~/server/db/schema";
import { sessionSettings } from "~/server/db/session-settings";

export interface RecordedStatement {
  /** postgres.js's connection number: a transaction's statements share one. */
  connection: number;
  text: string;
  parameters: unknown[];
  /** The rows it answered, each as its column values in order ([] for BEGIN, COMMIT, …). */
  rows: unknown[][];
}

export interface RecordingDatabase {
  db: Database;
  /** Every statement sent since the last `take()`. */
  take: () => RecordedStatement[];
  close: () => Promise<void>;
}

/** What postgres.js's Query has and its types do not declare. */
interface QueryInternals {
  string?: string;
  resolve: (result: unknown) => void;
}

const asColumns = (row: unknown): unknown[] =>
  Array.isArray(row) ? row : row !== null && typeof row === "object" ? Object.values(row) : [row];

export function recordingDatabase(url: string, { max }: { max: number }): RecordingDatabase {
  let statements: RecordedStatement[] = [];
  const answered = new WeakSet<RecordedStatement>();

  /** The rows of a query that resolved: its statement is the latest unanswered one with its text. */
  const attach = (text: string | undefined, result: unknown) => {
    const statement = [...statements].reverse().find((entry) => entry.text === text && !answered.has(entry));
    if (!statement) return;
    answered.add(statement);
    statement.rows = Array.isArray(result) ? result.map(asColumns) : [];
  };

  const withRows = (query: unknown) => {
    const internals = query as QueryInternals;
    const resolve = internals.resolve;
    internals.resolve = (result) => {
      attach(internals.string, result);
      resolve(result);
    };
    return query;
  };

  // Drizzle sends everything through `unsafe`, and a transaction's statements through the
  // `unsafe` of the handle `begin` passes to its callback: both are wrapped.
  const recording = <T extends object>(sql: T): T =>
    new Proxy(sql, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== "function") return value;
        if (property === "unsafe") return (...args: unknown[]) => withRows(Reflect.apply(value, target, args));
        if (property === "begin") {
          return (...args: unknown[]) => {
            const callback = args.pop() as (tx: object) => unknown;
            return Reflect.apply(value, target, [...args, (tx: object) => callback(recording(tx))]);
          };
        }
        return value;
      },
    });

  const client = postgres(url, {
    max,
    onnotice: () => undefined,
    connection: sessionSettings(),
    debug: (connection, text, parameters) => {
      statements.push({ connection, text, parameters: [...(parameters as unknown[])], rows: [] });
    },
  });
  return {
    db: drizzle(recording(client), { schema }) as unknown as Database,
    take: () => {
      const taken = statements;
      statements = [];
      return taken;
    },
    close: () => client.end({ timeout: 5 }),
  };
}
