/**
 * The development query log (DATABASE_LOG=1, src/server/db/query-log.ts), on both drivers: a
 * handle opened with a sink gets one line per statement — transactions' BEGIN and COMMIT or
 * ROLLBACK included — with its duration from the moment its connection starts on it, its rows
 * or its error's SQLSTATE, and its parameters as shapes, never values. With the variable unset
 * nothing is installed.
 */
import { randomUUID } from "node:crypto";

import { eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, inject, it, vi } from "vitest";

import type { Database, DatabaseOptions } from "~/server/db";
import { projects } from "~/server/db/schema";

const closers: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  vi.resetModules();
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** The database module again with these variables, and a pool of its own. */
async function open(variables: Record<string, string>, options: DatabaseOptions = {}) {
  for (const [name, value] of Object.entries(variables)) vi.stubEnv(name, value);
  vi.resetModules();
  const { openDatabase } = await import("~/server/db");
  const { hasQueryLog } = await import("~/server/db/query-log");
  const pool = openDatabase(inject("databaseUrl"), { max: 2, ...options });
  closers.push(pool.close);
  return { db: pool.db, logged: hasQueryLog((pool.db as Database & { $client: object }).$client) };
}

/** `[sql]  <ms> ms  <rows or error>  <statement>`. */
function parse(line: string) {
  const match = /^\[sql\] +(\d+\.\d) ms {2}(ERROR \S+|\d+ rows?)? +(\S.*)$/.exec(line);
  if (!match) throw new Error(`not a query log line: ${line}`);
  return { ms: Number(match[1]), status: match[2] ?? "", statement: match[3] ?? "" };
}

const SECRET = `not-for-the-log-${randomUUID()}`;

// Both drivers, or the one a per-driver run (the pooler pass, the matrix, CI's node-postgres pass) names.
const drivers = process.env.DATABASE_DRIVER ? [process.env.DATABASE_DRIVER] : ["postgres-js", "node-postgres"];

describe.each(drivers)("the query log on %s", (driver) => {
  it("logs a query and a transaction's statements, BEGIN and COMMIT included, each with a duration", async () => {
    const lines: string[] = [];
    const { db, logged } = await open({ DATABASE_DRIVER: driver }, { queryLog: (line) => lines.push(line) });
    expect(logged).toBe(true);

    await db.select({ id: projects.id }).from(projects).where(eq(projects.id, randomUUID()));
    await db.transaction(async (tx) => {
      await tx.execute(sql`select ${SECRET}::text as secret`);
      await tx.execute(sql`select 1 as one union all select 2`);
    });

    const parsed = lines.map(parse);
    expect(parsed.map(({ statement }) => statement)).toEqual([
      'select "id" from "projects" where "projects"."id" = $1  -- params: text(36)',
      "begin",
      `select $1::text as secret  -- params: text(${SECRET.length})`,
      "select 1 as one union all select 2",
      "commit",
    ]);
    expect(parsed.map(({ status }) => status)).toEqual(["0 rows", "", "1 row", "2 rows", ""]);
    for (const { ms } of parsed) expect(ms).toBeGreaterThanOrEqual(0);
    expect(lines.join("\n")).not.toContain(SECRET);
  });

  it("logs a failed statement with its SQLSTATE and the ROLLBACK", async () => {
    const lines: string[] = [];
    const { db } = await open({ DATABASE_DRIVER: driver }, { queryLog: (line) => lines.push(line) });

    await expect(db.transaction((tx) => tx.execute(sql`select 1 / 0`))).rejects.toThrow();

    expect(lines.map(parse).map(({ status, statement }) => `${status} ${statement}`.trim())).toEqual([
      "begin",
      "ERROR 22012 select 1 / 0",
      "rollback",
    ]);
  });

  it("times each statement from its connection's start on it: concurrent ones are not mixed up, waits do not count", async () => {
    const lines: string[] = [];
    // One connection, open already: the second statement of each pair waits ~300 ms behind
    // the first — in the pool's queue, pipelined on the connection (postgres.js), or in the
    // client's queue (node-postgres, in the transaction) — then runs in well under that.
    const { db } = await open({ DATABASE_DRIVER: driver }, { max: 1, queryLog: (line) => lines.push(line) });
    await db.execute(sql`select 0 as warm`);

    await Promise.all([db.execute(sql`select pg_sleep(0.3)`), db.execute(sql`select 2 as two`)]);
    await db.transaction((tx) => Promise.all([tx.execute(sql`select pg_sleep(0.3), 'tx'`), tx.execute(sql`select 3 as three`)]));

    const byStatement = new Map(lines.map(parse).map((line) => [line.statement, line.ms]));
    expect(byStatement.get("select pg_sleep(0.3)")).toBeGreaterThanOrEqual(290);
    expect(byStatement.get("select pg_sleep(0.3), 'tx'")).toBeGreaterThanOrEqual(290);
    expect(byStatement.get("select 2 as two")).toBeLessThan(150);
    expect(byStatement.get("select 3 as three")).toBeLessThan(150);
  });

  it("with DATABASE_LOG=1 writes to the console; unset, installs nothing and prints nothing", async () => {
    const print = vi.spyOn(console, "log").mockImplementation(() => undefined);

    const on = await open({ DATABASE_DRIVER: driver, DATABASE_LOG: "1" });
    expect(on.logged).toBe(true);
    await on.db.execute(sql`select 3 as three`);
    expect(print.mock.calls.map(([line]) => String(line)).filter((line) => line.startsWith("[sql]"))).toEqual([
      expect.stringMatching(/^\[sql\] +\d+\.\d ms {2}1 row {8}select 3 as three$/),
    ]);

    print.mockClear();
    const off = await open({ DATABASE_DRIVER: driver, DATABASE_LOG: "" });
    expect(off.logged).toBe(false);
    await off.db.transaction((tx) => tx.execute(sql`select 4 as four`));
    expect(print).not.toHaveBeenCalled();
  });
});
