/**
 * Through PgBouncer in transaction mode (run by scripts/run-pooler.ts: DATABASE_URL is
 * PgBouncer, DATABASE_DIRECT_URL the server): what a naive configuration gets, and what the
 * app does instead. PgBouncer hands each transaction (or each statement outside one) any
 * free server connection, most recently used first; the naive cases force that hand-over by
 * having a second client hold the connection the first one just used.
 */
import { randomUUID } from "node:crypto";

import { sql as drizzleSql } from "drizzle-orm";
import postgres from "postgres";
import { afterEach, describe, expect, inject, it } from "vitest";

import { getDb } from "~/server/db";
import { queryRows } from "~/server/db/tx";
import { generateScene } from "~/server/services/generation/generate-scene";
import { createWelcomeProject } from "~/server/services/projects";
import { inspectProject } from "../support/invariants";
import { directDatabaseUrl, raceTwo } from "../support/race";
import { settle } from "../support/settle";

const pooledUrl = () => inject("databaseUrl");
const directUrl = directDatabaseUrl;

const clients: postgres.Sql[] = [];
function client(url: string, options: postgres.Options<Record<string, never>> = {}) {
  const sql = postgres(url, { max: 1, onnotice: () => undefined, ...options });
  clients.push(sql);
  return sql;
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((sql) => sql.end({ timeout: 1 })));
});

/** Runs `then` while another client holds, in an open transaction, the server connection `first` ran on last. */
async function onAnotherServerConnection<T>(first: postgres.Sql, then: () => Promise<T>): Promise<T> {
  const [{ pid } = { pid: 0 }] = await first<{ pid: number }[]>`select pg_backend_pid() as pid`;
  const holder = client(pooledUrl(), { prepare: false });
  return holder.begin(async (tx) => {
    const [held] = await tx<{ pid: number }[]>`select pg_backend_pid() as pid`;
    expect(held?.pid, "the holder got the connection the first client just released").toBe(pid);
    return then();
  }) as Promise<T>;
}

describe("through PgBouncer in transaction mode", () => {
  it("naive: a prepared statement is unknown on the next server connection: postgres.js gets 26000 and prepares it again", async () => {
    const sent: string[] = [];
    const record = (_connection: number, query: string) => void sent.push(query);
    const naive = client(pooledUrl(), { debug: record });
    await naive`select ${1}::int as id`;
    sent.length = 0;
    expect(await onAnotherServerConnection(naive, () => naive`select ${2}::int as id`)).toEqual([{ id: 2 }]);
    // Bind to a statement the server connection never saw, the error, Parse again: two round trips for one query.
    expect(sent.filter((query) => query.includes("::int as id"))).toHaveLength(2);

    sent.length = 0;
    const fixed = client(pooledUrl(), { prepare: false, debug: record });
    await fixed`select ${1}::int as id`;
    sent.length = 0;
    expect(await onAnotherServerConnection(fixed, () => fixed`select ${2}::int as id`)).toEqual([{ id: 2 }]);
    expect(sent.filter((query) => query.includes("::int as id"))).toHaveLength(1);
  });

  it("naive: session settings sent at startup are refused; the app's bounds come from the role instead", async () => {
    const naive = client(pooledUrl(), { prepare: false, connection: { statement_timeout: 10_000 } });
    expect(await settle(naive`select 1`)).toMatchObject({ message: expect.stringMatching(/unsupported startup parameter/) });

    const [row] = await queryRows<Record<string, string>>(getDb(), drizzleSql`
      select current_setting('statement_timeout') as statement_timeout,
             current_setting('lock_timeout') as lock_timeout,
             current_setting('idle_in_transaction_session_timeout') as idle_in_transaction_session_timeout`);
    expect(row).toEqual({ statement_timeout: "15s", lock_timeout: "5s", idle_in_transaction_session_timeout: "10s" });
  });

  it("naive: a session-level SET leaks to whichever client gets the server connection next; set_config(…, true) does not", async () => {
    const first = client(pooledUrl(), { prepare: false });
    const second = client(pooledUrl(), { prepare: false });
    await first`set lock_timeout = '1ms'`;
    const [leaked] = await second<{ value: string }[]>`select current_setting('lock_timeout') as value`;
    expect(leaked?.value).toBe("1ms");
    await second`reset lock_timeout`;

    await first.begin((tx) => tx`select set_config('lock_timeout', '2ms', true)`);
    const [kept] = await second<{ value: string }[]>`select current_setting('lock_timeout') as value`;
    expect(kept?.value).not.toBe("2ms");
  });

  it("naive: a session-level advisory lock taken through the pooler is not released by its unlock; through the direct URL it is", async () => {
    const key = Math.floor(Math.random() * 1_000_000_000);
    const naive = client(pooledUrl(), { prepare: false });
    const observer = client(directUrl());
    const held = async () => (await observer`select 1 from pg_locks where locktype = 'advisory' and objid = ${key}`).length > 0;

    await naive`select pg_advisory_lock(${key})`;
    const [unlocked] = await onAnotherServerConnection(naive, () => naive<{ ok: boolean }[]>`select pg_advisory_unlock(${key}) as ok`);
    expect(unlocked?.ok).toBe(false);
    expect(await held()).toBe(true); // stuck on a server connection nobody owns
    await observer`select pg_terminate_backend(pid) from pg_locks where locktype = 'advisory' and objid = ${key}`;

    const direct = client(directUrl());
    await direct`select pg_advisory_lock(${key})`;
    const [released] = await direct<{ ok: boolean }[]>`select pg_advisory_unlock(${key}) as ok`;
    expect(released?.ok).toBe(true);
    expect(await held()).toBe(false);
  });

  it("the app: two generations forced to queue behind a held project lock lose nothing (20 trials)", async () => {
    for (let trial = 0; trial < 20; trial++) {
      const userId = randomUUID();
      const project = await createWelcomeProject(getDb(), userId, "Pooled");
      await raceTwo(project.id, "gated", (modelCall, name) =>
        generateScene(getDb(), { userId, projectId: project.id, prompt: `Scene from ${name}`, requestId: randomUUID() }, { modelCall }),
      );
      expect(await inspectProject(project.id)).toMatchObject({ violations: [], generatedScenes: 2, messages: 4 });
    }
  });
});
