/**
 * Statements per request from the server's own view: pg_stat_statements (preloaded in the
 * bench's PostgreSQL), reset, then N fixed-flow `generation.generateScene` calls over HTTP
 * to server A, then N chat polls (`generation.getChatMessages`); every call the database
 * counted in between, over N. The bench's own statements (the reset, the read of the view)
 * are left out, and nothing else talks to the database meanwhile.
 *
 * pg_stat_statements does not count every COMMIT: postgres.js sends a transaction's COMMIT
 * as a prepared statement, and the extension counts a prepared utility statement only
 * when it is parsed, not when it is executed again (5 transactions on one connection:
 * `begin` 5, `commit` 1; unprepared, 5 and 5). Every BEGIN ends in one COMMIT or ROLLBACK,
 * so the ones it missed are BEGINs − COMMITs − ROLLBACKs, reported beside the raw count.
 */
import postgres from "postgres";

import type { NextServer } from "../../lib/next-app";
import type { TrpcUser } from "../../lib/trpc-http";
import { createProject, fixedFlow, newUser } from "../calls";
import { describeStatement, isWrite } from "../sql/describe";

export const STATEMENTS = { generations: 20, polls: 20 };
/** The target for the fixed flow. */
export const STATEMENTS_TARGET = 8;

export interface StatementCount {
  label: string;
  /** Calls per request. */
  perRequest: number;
}

export interface RequestStatements {
  requests: number;
  failed: number;
  /** All statements pg_stat_statements counted for these requests, per request. */
  perRequest: number;
  /** Transaction ends it did not count (see above), per request. */
  uncountedEndsPerRequest: number;
  /** `perRequest` with those: what the database ran. */
  withEndsPerRequest: number;
  /** Writes (INSERT, UPDATE, DELETE) per request. */
  writesPerRequest: number;
  statements: StatementCount[];
}

/** Prepares the database for counting: the extension (preloaded at start) in the bench's database. */
export async function enableStatementStats(url: string) {
  const sql = postgres(url, { max: 1, onnotice: () => undefined });
  try {
    await sql`create extension if not exists pg_stat_statements`;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function counted(sql: postgres.Sql, requests: number, send: () => Promise<{ ok: boolean }[]>): Promise<RequestStatements> {
  await sql`select pg_stat_statements_reset()`;
  const results = await send();
  const rows = await sql<{ query: string; calls: string }[]>`
    select query, calls from pg_stat_statements
    where dbid = (select oid from pg_database where datname = current_database())
      and query not ilike '%pg_stat_statements%'`;
  const byLabel = new Map<string, number>();
  let total = 0;
  let writes = 0;
  let [begins, ends] = [0, 0];
  for (const row of rows) {
    const calls = Number(row.calls);
    total += calls;
    if (isWrite(row.query)) writes += calls;
    if (/^\s*(begin|start transaction)\b/i.test(row.query)) begins += calls;
    if (/^\s*(commit|rollback|end|abort)\b/i.test(row.query)) ends += calls;
    const label = describeStatement(row.query);
    byLabel.set(label, (byLabel.get(label) ?? 0) + calls);
  }
  return {
    requests,
    failed: results.filter((result) => !result.ok).length,
    perRequest: total / requests,
    uncountedEndsPerRequest: Math.max(0, begins - ends) / requests,
    withEndsPerRequest: (total + Math.max(0, begins - ends)) / requests,
    writesPerRequest: writes / requests,
    statements: [...byLabel].map(([label, calls]) => ({ label, perRequest: calls / requests })).sort((x, y) => y.perRequest - x.perRequest),
  };
}

async function sequentially<T>(n: number, call: (index: number) => Promise<T>) {
  const results: T[] = [];
  for (let index = 0; index < n; index++) results.push(await call(index));
  return results;
}

export async function statementsPerRequest(url: string, a: NextServer) {
  const sql = postgres(url, { max: 1, onnotice: () => undefined });
  try {
    const user: TrpcUser = newUser(a);
    const projectId = await createProject(user, "Bench · statements");
    await fixedFlow(user, projectId, -1); // the welcome reset, once, before counting
    const generation = await counted(sql, STATEMENTS.generations, () =>
      sequentially(STATEMENTS.generations, (index) => fixedFlow(user, projectId, index)),
    );
    const poll = await counted(sql, STATEMENTS.polls, () =>
      sequentially(STATEMENTS.polls, () => user.query("generation.getChatMessages", { projectId })),
    );
    return { generation, poll };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export type StatementsResult = Awaited<ReturnType<typeof statementsPerRequest>>;
