/**
 * Embedded PostgreSQL for `npm run dev` and `npm test` on a machine with no database.
 *
 * A real server (real row locks, real concurrency), so the race tests mean something;
 * PGlite or mocks would run one statement at a time and let broken code pass.
 * This module owns the awkward parts of running it unattended: a free port, a data
 * folder the `postgres` user can read, a stale `postmaster.pid` left by a killed run,
 * and a clean stop. See README.md ("Database").
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";

import postgres from "postgres";

import { ancestorsAreEnterable, initdb, locateBinaries, startPostgres, type PostgresProcess } from "./postgres-process";

const SUPERUSER = "postgres";
const PASSWORD = "postgres";

export interface EmbeddedDatabase {
  /** Connection URL of the app database (created if missing). */
  url: string;
  /** URL of the maintenance database, for creating and dropping test databases. */
  adminUrl: string;
  dataDir: string;
  port: number;
  stop: () => Promise<void>;
}

export interface EmbeddedOptions {
  /** Requested data folder; falls back to a temp folder the postgres user can read. */
  dataDir: string;
  database?: string;
  log?: (line: string) => void;
  /**
   * When another live process already runs the server on this folder (`npm run dev`),
   * connect to it instead of refusing the folder; `stop()` then leaves it running. For
   * tools beside the app (Drizzle Studio, migrations), never for a second app.
   */
  shareRunning?: boolean;
  /** Further server settings (`-c name=value`), e.g. `shared_preload_libraries`; ignored when sharing a running server. */
  settings?: Record<string, string>;
}

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const log = options.log ?? ((line: string) => console.log(`[postgres] ${line}`));
  const dataDir = resolveReadableDataDir(path.resolve(options.dataDir), log);
  mkdirSync(path.dirname(dataDir), { recursive: true });

  if (options.shareRunning) {
    const running = await runningServer(dataDir, options.database ?? "race_safe");
    if (running) {
      log(`using the server process ${running.ownerPid} runs on 127.0.0.1:${running.port} (data: ${dataDir})`);
      return running.database;
    }
  }
  await claimDataDir(dataDir, log);

  const initialized = existsSync(path.join(dataDir, "PG_VERSION"));
  const binaries = await locateBinaries(log);
  if (!initialized) {
    log(`initialising a new cluster in ${dataDir}`);
    await initdb(binaries, dataDir, SUPERUSER, PASSWORD);
  }
  let lastError: unknown;
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = await findFreePort();
    let server: PostgresProcess;
    try {
      server = await startPostgres(binaries, dataDir, port, undefined, options.settings);
    } catch (error) {
      lastError = error; // most often: the port was taken between the probe and the start
      continue;
    }
    writeOwnerFile(dataDir, port);
    const adminUrl = connectionUrl(port, "postgres");
    const database = options.database ?? "race_safe";
    await createDatabaseIfMissing(adminUrl, database);
    log(`ready on 127.0.0.1:${port} (data: ${dataDir})`);
    return {
      url: connectionUrl(port, database),
      adminUrl,
      dataDir,
      port,
      stop: async () => {
        await server.stop();
        rmSync(ownerFile(dataDir), { force: true });
      },
    };
  }
  throw new Error(`Could not start embedded PostgreSQL in ${dataDir}: ${String(lastError)}`);
}

/** The server another live process runs on this folder, if it answers. */
async function runningServer(dataDir: string, database: string) {
  const owner = readJson<{ pid: number; port?: number }>(ownerFile(dataDir));
  if (!owner?.port || owner.pid === process.pid || !isAlive(owner.pid)) return undefined;
  const url = connectionUrl(owner.port, database);
  const sql = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => undefined });
  try {
    await sql`select 1`;
  } catch {
    return undefined;
  } finally {
    await sql.end({ timeout: 1 });
  }
  const shared: EmbeddedDatabase = {
    url,
    adminUrl: connectionUrl(owner.port, "postgres"),
    dataDir,
    port: owner.port,
    stop: async () => undefined,
  };
  return { ownerPid: owner.pid, port: owner.port, database: shared };
}

function connectionUrl(port: number, database: string) {
  return `postgres://${SUPERUSER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

async function createDatabaseIfMissing(adminUrl: string, database: string) {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => undefined });
  try {
    const rows = await sql`select 1 from pg_database where datname = ${database}`;
    if (rows.length === 0) await sql.unsafe(`create database "${database.replaceAll('"', '""')}"`);
  } finally {
    await sql.end();
  }
}

export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * As root, postgres runs as the `postgres` user, which must be able to reach the
 * data folder: every ancestor needs the "others may enter" bit. A checkout under a
 * 0700 home folder fails that, so we move to a stable folder under the temp dir.
 */
export function resolveReadableDataDir(requested: string, log: (line: string) => void) {
  if (userInfo().uid !== 0 || ancestorsAreEnterable(requested)) return requested;
  const digest = createHash("sha256").update(requested).digest("hex").slice(0, 12);
  const fallback = path.join(tmpdir(), `race-safe-postgres-${digest}`, path.basename(requested));
  log(`the postgres user cannot enter ${requested}; using ${fallback} instead`);
  return fallback;
}


export class DataDirInUseError extends Error {
  override name = "DataDirInUseError";
  constructor(
    readonly dataDir: string,
    readonly ownerPid: number,
  ) {
    super(
      `The database folder ${dataDir} is in use by process ${ownerPid} ` +
        `(another "npm run dev" or "npm test"?). Stop it, or set PGDATA_DIR to another folder.`,
    );
  }
}

const ownerFile = (dataDir: string) => `${dataDir}.owner.json`;

function writeOwnerFile(dataDir: string, port: number) {
  writeFileSync(ownerFile(dataDir), JSON.stringify({ pid: process.pid, port }));
}

function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function isPostgresProcess(pid: number) {
  const comm = `/proc/${pid}/comm`;
  if (!existsSync("/proc")) return isAlive(pid);
  try {
    return readFileSync(comm, "utf8").trim().startsWith("postgres");
  } catch {
    return false;
  }
}

/**
 * Makes the data folder ours. Another live owner is an error (two dev servers on one
 * folder); a postmaster orphaned by a killed owner is shut down; a `postmaster.pid`
 * naming a dead or unrelated process is removed so postgres does not refuse to start.
 */
async function claimDataDir(dataDir: string, log: (line: string) => void) {
  const owner = readJson<{ pid: number }>(ownerFile(dataDir));
  if (owner && owner.pid !== process.pid && isAlive(owner.pid)) throw new DataDirInUseError(dataDir, owner.pid);
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const postmasterPid = Number.parseInt(readFileSync(pidFile, "utf8").split("\n")[0] ?? "", 10);
  if (Number.isInteger(postmasterPid) && postmasterPid > 0 && isPostgresProcess(postmasterPid)) {
    log(`stopping postgres ${postmasterPid} left running by a killed process`);
    process.kill(postmasterPid, "SIGINT");
    for (let waited = 0; isAlive(postmasterPid); waited += 100) {
      if (waited > 15_000) process.kill(postmasterPid, "SIGKILL");
      await delay(100);
    }
  }
  if (existsSync(pidFile)) {
    log(`removing stale ${pidFile}`);
    rmSync(pidFile, { force: true });
  }
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch {
    return undefined;
  }
}
