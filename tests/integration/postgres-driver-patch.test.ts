/**
 * Pins the postgres.js 3.4.9 bugs that scripts/patch-postgres.mjs fixes; each test is named
 * after its upstream bug and fails without its fix. To see it fail, restore the pristine
 * driver (`rm -rf node_modules/postgres && npm install --no-save --ignore-scripts
 * postgres@3.4.9`), run this file, then patch again with `node scripts/patch-postgres.mjs`.
 * The interleavings are forced by the server's own termination and Node's event-loop
 * phases, never by sleeping.
 */
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { connect, createServer, type Server, type Socket } from "node:net";

import postgres from "postgres";
import { deferred, TimeoutError, withTimeout } from "race-kit";
import { afterEach, describe, expect, it } from "vitest";
import { settle } from "../support/settle";

/** postgres.js's `socket` option (a factory for the connection's socket) is not in its types. */
type Options = Partial<postgres.Options<Record<string, never>>> & { socket?: () => Promise<Socket> };

const cleanups: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function databaseUrl() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set (tests/support/worker-setup.ts sets it)");
  return url;
}

/** A one-connection pool of its own that gives up connecting after 3 s, ended after the test. */
function pool(options: Options = {}) {
  const sql = postgres(databaseUrl(), { max: 1, connect_timeout: 3, onnotice: () => undefined, ...options });
  cleanups.push(() => sql.end({ timeout: 5 }));
  return sql;
}

/** Resolves once the driver has handled the next close of a connection of the pool given `onclose`. */
function closeSignal() {
  const waiters: (() => void)[] = [];
  return {
    onclose: () => waiters.splice(0).forEach((wake) => wake()),
    next: () => new Promise<void>((resolve) => waiters.push(resolve)),
  };
}

async function connectTcp(): Promise<Socket> {
  const { hostname, port } = new URL(databaseUrl());
  const socket = connect(Number(port), hostname);
  await once(socket, "connect");
  return socket;
}

/** A pool over TCP sockets the test holds. */
function heldSocketPool() {
  const sockets: Socket[] = [];
  const socket = async () => {
    const opened = await connectTcp();
    sockets.push(opened);
    return opened;
  };
  return { sql: pool({ socket }), sockets };
}

async function backendPid(sql: postgres.Sql | postgres.TransactionSql) {
  const [row] = await sql<{ pid: number }[]>`select pg_backend_pid() as pid`;
  if (!row) throw new Error("no backend pid");
  return row.pid;
}


/** Runs `fn` in a setImmediate callback: immediates it schedules run in the next loop iteration, after this one's close phase. */
function inCheckPhase<T>(fn: () => Promise<T>): Promise<T> {
  return new Promise((resolve) => setImmediate(() => resolve(fn())));
}

/** A loopback TCP server of the test's own, closed (with every socket it accepted) after the test. */
async function tcpServer(onConnection: (socket: Socket) => void): Promise<{ server: Server; url: string }> {
  const accepted = new Set<Socket>();
  const server = createServer((socket) => {
    accepted.add(socket);
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(async () => {
    for (const socket of accepted) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  const url = new URL(databaseUrl());
  url.hostname = "127.0.0.1";
  url.port = String((server.address() as { port: number }).port);
  return { server, url: url.toString() };
}

/** Unhandled rejections while `run` runs, and one loop turn after (when Node reports them). */
async function unhandledRejectionsDuring(run: () => Promise<unknown>) {
  const seen: unknown[] = [];
  const record = (reason: unknown) => seen.push(reason);
  process.on("unhandledRejection", record);
  try {
    await run();
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off("unhandledRejection", record);
  }
  return seen;
}

describe("postgres.js driver patch", { timeout: 10_000 }, () => {
  it("porsager/postgres#1208: a statement on a reserved connection the server closed rejects with CONNECTION_CLOSED instead of throwing from setImmediate", async () => {
    const close = closeSignal();
    const sql = pool({ onclose: close.onclose });
    const admin = pool();
    const reserved = await sql.reserve();
    const pid = await backendPid(reserved);

    const driverSawClose = close.next();
    await admin`select pg_terminate_backend(${pid})`;
    await driverSawClose;

    expect(await settle(reserved`select 1`)).toMatchObject({ code: "CONNECTION_CLOSED" });
    expect(await backendPid(sql)).not.toBe(pid);
  });

  it("LanternOps/breeze#3225: a pool whose socket died with a small write buffered reconnects instead of hanging to CONNECT_TIMEOUT", async () => {
    const { sql, sockets } = heldSocketPool();
    await sql`select 1`;

    // The query's flush is scheduled for the next loop iteration; the socket's 'close' runs in this one's close phase.
    const failure = await inCheckPhase(() => {
      const query = settle(sql`select 1`);
      sockets[0]?.destroy();
      return query;
    });

    expect(failure).toMatchObject({ code: "CONNECTION_CLOSED" });
    expect(await settle(sql`select 1 as ok`)).toEqual([{ ok: 1 }]);
    expect(sockets).toHaveLength(2);
  });

  it("porsager/postgres#1215 (discussion), stale query: after a backend was terminated mid-query, the next query does not fail with that backend's error", async () => {
    const sql = pool();
    const admin = pool();
    const pid = await backendPid(sql);
    const running = settle(sql`select pg_sleep(30)`);
    await expect
      .poll(async () => (await admin`select state from pg_stat_activity where pid = ${pid}`)[0]?.state)
      .toBe("active");

    await admin`select pg_terminate_backend(${pid})`;
    expect(await running).toMatchObject({ code: expect.stringMatching(/^(CONNECTION_CLOSED|57P01)$/) });
    expect(await settle(sql`select 1 as ok`)).toEqual([{ ok: 1 }]);
  });

  it("stale query: a query sent between a connection's reset and its close is settled, not left pending", async () => {
    const target = new URL(databaseUrl());
    const clients: Socket[] = [];
    const { url } = await tcpServer((client) => {
      clients.push(client);
      const upstream = connect(Number(target.port), target.hostname);
      upstream.on("error", () => client.destroy());
      client.on("error", () => upstream.destroy());
      client.on("close", () => upstream.destroy());
      upstream.pipe(client);
      client.pipe(upstream);
    });
    const sql = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => undefined });
    cleanups.push(() => sql.end({ timeout: 1 }));
    await sql`select 1`;

    // The reset reaches the driver after this query is written: the query fails with it, and the
    // retry, sent from its rejection, is written before the socket's close is handled.
    clients[0]?.resetAndDestroy();
    const retried = await settle(sql`select 1`).then((failure) => ({
      failure,
      retry: settle(withTimeout(sql`select 1 as ok`, 5000, "the retry to settle")),
    }));
    expect(retried.failure).toMatchObject({ code: "ECONNRESET" });
    expect(await retried.retry).not.toBeInstanceOf(TimeoutError);
  });

  it("porsager/postgres#1193: a server that closes during startup without a word ends the query in CONNECT_TIMEOUT, not in an endless reconnect", async () => {
    const { url } = await tcpServer((socket) => socket.end());
    const sql = postgres(url, { max: 1, connect_timeout: 0.5, onnotice: () => undefined });
    cleanups.push(() => sql.end({ timeout: 1 }));

    const started = performance.now();
    const failure = await settle(withTimeout(sql`select 1`, 5000, "the query to settle"));
    expect(failure).toMatchObject({ code: "CONNECT_TIMEOUT" });
    console.log(`[driver-patch] closed during startup → CONNECT_TIMEOUT after ${Math.round(performance.now() - started)} ms`);
  });

  it("bounded startup: a connection lost while it fetches array types fails its query, with no unhandled rejection", async () => {
    const target = new URL(databaseUrl());
    const { url } = await tcpServer((client) => {
      const upstream = connect(Number(target.port), target.hostname);
      upstream.on("error", () => client.destroy());
      client.on("error", () => upstream.destroy());
      upstream.pipe(client);
      client.on("data", (chunk: Buffer) => {
        if (chunk.includes("typarray")) {
          client.resetAndDestroy();
          upstream.destroy();
        } else {
          upstream.write(chunk);
        }
      });
    });
    const sql = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => undefined });
    cleanups.push(() => sql.end({ timeout: 1 }));

    let failure: unknown;
    const unhandled = await unhandledRejectionsDuring(async () => (failure = await settle(sql`select 1`)));
    expect(failure).toMatchObject({ code: expect.stringMatching(/^(ECONNRESET|CONNECTION_CLOSED)$/) });
    expect(unhandled).toEqual([]);
  });

  it("porsager/postgres#1216: a transaction's statements after its connection closed are refused, not autocommitted on the reconnected session", async () => {
    const sql = pool();
    const admin = pool();
    const table = `driver_patch_${randomUUID().replaceAll("-", "")}`;
    await admin.unsafe(`create table ${table} (id int not null)`);
    cleanups.push(() => admin.unsafe(`drop table if exists ${table}`));

    const txPid = deferred<number>();
    const proceed = deferred();
    const lateInsert = deferred<unknown>();
    const transaction = settle(
      sql.begin(async (tx) => {
        txPid.resolve(await backendPid(tx));
        await proceed.promise;
        lateInsert.resolve(await settle(tx.unsafe(`insert into ${table} (id) values (1)`)));
      }),
    );

    const pid = await txPid.promise;
    await admin`select pg_terminate_backend(${pid})`;
    expect(await transaction).toMatchObject({ code: "CONNECTION_CLOSED" });
    expect(await backendPid(sql)).not.toBe(pid);

    proceed.resolve();
    const outcome = { lateInsert: await lateInsert.promise, committed: await admin.unsafe(`select id from ${table}`) };
    expect(outcome).toMatchObject({ lateInsert: { code: "CONNECTION_CLOSED" }, committed: [] });
  });
});
