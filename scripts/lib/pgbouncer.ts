/**
 * PgBouncer in transaction mode in front of a PostgreSQL, for the test runs that prove the
 * patterns through a transaction pooler (scripts/run-pooler.ts, the soak and the bench). It
 * uses Debian's `pgbouncer` (PGBOUNCER_PATH, else /usr/sbin/pgbouncer, else the PATH), writes
 * a config of its own into a temp folder, listens on a free loopback port, runs as the
 * `postgres` user when we are root (PgBouncer refuses root), and is stopped by its PID.
 * See docs/deploying.md ("Behind a transaction pooler").
 */
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

import { findFreePort } from "~/server/db/embedded";
import { runAs } from "~/server/db/postgres-process";

export interface PgBouncer {
  /** `targetUrl` with PgBouncer's host and port: what the app connects to. */
  url: string;
  pid: number;
  /** Stops PgBouncer (SIGTERM, then waits for it) and deletes its folder. Idempotent. */
  stop: () => Promise<void>;
}

export interface PgBouncerOptions {
  /** Server connections per database/user pair (PgBouncer's default_pool_size). */
  poolSize?: number;
}

export function findPgBouncer(): string | undefined {
  const candidates = [process.env.PGBOUNCER_PATH, "/usr/sbin/pgbouncer"].filter((candidate): candidate is string => !!candidate);
  const found = candidates.find((candidate) => existsSync(candidate));
  if (found) return found;
  const which = spawnSync("which", ["pgbouncer"], { encoding: "utf8" });
  return which.status === 0 ? which.stdout.trim() || undefined : undefined;
}

const quote = (value: string) => `"${value.replaceAll('"', '""')}"`;

export async function startPgBouncer(targetUrl: string, { poolSize = 20 }: PgBouncerOptions = {}): Promise<PgBouncer> {
  const binary = findPgBouncer();
  if (!binary) {
    throw new Error("PgBouncer is not installed: `apt-get install pgbouncer` (Debian), or set PGBOUNCER_PATH.");
  }
  const target = new URL(targetUrl);
  const user = decodeURIComponent(target.username || "postgres");
  const password = decodeURIComponent(target.password);
  const port = await findFreePort();
  const dir = mkdtempSync(path.join(tmpdir(), "race-safe-pgbouncer-"));
  chmodSync(dir, 0o755);
  const server = [`host=${target.hostname}`, `port=${target.port || 5432}`, `user=${user}`, password ? `password=${password}` : ""];
  writeFileSync(path.join(dir, "users.txt"), `${quote(user)} ""\n`);
  writeFileSync(
    path.join(dir, "pgbouncer.ini"),
    [
      "[databases]",
      `* = ${server.filter(Boolean).join(" ")}`,
      "[pgbouncer]",
      "listen_addr = 127.0.0.1",
      `listen_port = ${port}`,
      "unix_socket_dir =",
      "auth_type = trust",
      `auth_file = ${path.join(dir, "users.txt")}`,
      "pool_mode = transaction",
      `default_pool_size = ${poolSize}`,
      "max_client_conn = 1000",
      // Sent by some drivers at startup; harmless to drop. Nothing else is ignored: a driver
      // that sends session settings at startup is told so instead of silently losing them.
      "ignore_startup_parameters = extra_float_digits",
      `logfile = ${path.join(dir, "pgbouncer.log")}`,
      "",
    ].join("\n"),
  );
  const owner = runAs();
  if (owner) for (const file of ["", "users.txt", "pgbouncer.ini"]) chownSync(path.join(dir, file), owner.uid, owner.gid);

  const child = spawn(binary, [path.join(dir, "pgbouncer.ini")], {
    stdio: "ignore",
    ...(owner ? { uid: owner.uid, gid: owner.gid } : {}),
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    })());

  try {
    await waitUntilListening(port, exited, () => readLog(dir));
  } catch (error) {
    await stop();
    throw error;
  }
  const url = new URL(targetUrl);
  url.hostname = "127.0.0.1";
  url.port = String(port);
  return { url: url.toString(), pid: child.pid ?? 0, stop };
}

function readLog(dir: string) {
  try {
    return readFileSync(path.join(dir, "pgbouncer.log"), "utf8").trim().split("\n").slice(-5).join("\n");
  } catch {
    return "(no log)";
  }
}

/** Resolves once PgBouncer accepts a TCP connection; rejects if it exits first or takes over 10 s. */
async function waitUntilListening(port: number, exited: Promise<void>, log: () => string) {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + 10_000;
  while (!gone && Date.now() < deadline) {
    const accepted = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (accepted) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`PgBouncer did not start listening on 127.0.0.1:${port}:\n${log()}`);
}
