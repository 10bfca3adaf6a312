/**
 * The bench's app servers, all `next start` of one build on one database, loopback only:
 * A (latency 0, the Race Lab on), B (500 ms model latency, the lab off, as shipped) and,
 * when PgBouncer is installed, C (A's settings through PgBouncer in transaction mode).
 * Each is stopped by the run's cleanup, whatever way the run ends.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";

import { findFreePort } from "~/server/db/embedded";
import { migrateDatabase } from "~/server/db/migrate";

import { startNextServer, type NextServer } from "../lib/next-app";
import { findPgBouncer, startPgBouncer } from "../lib/pgbouncer";
import type { ScriptRun } from "../lib/run";
import { SLOW_MS } from "./settings";

/** Production, with the app's defaults (driver, pool size 10, lock timeout, lease, no pooler), whatever the shell has set. */
export function appEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production" };
  for (const name of [
    "DATABASE_DRIVER",
    "DATABASE_POOL_MAX",
    "DATABASE_LOCK_TIMEOUT_MS",
    "DATABASE_POOLER",
    "DATABASE_DIRECT_URL",
    "EXCHANGE_LEASE_MS",
    "PGDATA_DIR",
    "DATABASE_LOG",
  ]) {
    delete env[name];
  }
  return { ...env, ...extra };
}

export function pgbouncerVersion() {
  const binary = findPgBouncer();
  if (!binary) return "PgBouncer (not installed)";
  return execFileSync(binary, ["--version"], { encoding: "utf8" }).split("\n")[0]?.trim() ?? "PgBouncer";
}

export interface Servers {
  a: NextServer;
  b: NextServer;
  /** Absent without PgBouncer. */
  c: NextServer | undefined;
}

export async function startServers(run: ScriptRun, databaseUrl: string): Promise<Servers> {
  const secret = randomBytes(32).toString("base64url");
  const start = async (name: string, env: Record<string, string>) => {
    const server = await startNextServer({ name, port: await findFreePort(), env: appEnv({ SESSION_SECRET: secret, ...env }) });
    run.defer(`server ${name}`, server.stop);
    return server;
  };
  const [a, b] = await Promise.all([
    start("A", { DATABASE_URL: databaseUrl, RACE_LAB: "1", GENERATION_LATENCY_MS: "0" }),
    start("B", { DATABASE_URL: databaseUrl, RACE_LAB: "0", GENERATION_LATENCY_MS: String(SLOW_MS) }),
  ]);
  let c: NextServer | undefined;
  if (findPgBouncer()) {
    const bouncer = await startPgBouncer(databaseUrl);
    run.defer("pgbouncer", bouncer.stop);
    await migrateDatabase(databaseUrl, { behindPooler: true });
    c = await start("C", {
      DATABASE_URL: bouncer.url,
      DATABASE_DIRECT_URL: databaseUrl,
      DATABASE_POOLER: "transaction",
      RACE_LAB: "0",
      GENERATION_LATENCY_MS: "0",
    });
    run.log(`C ${c.baseUrl}: latency 0, through PgBouncer ${bouncer.url.replace(/\/\/[^@]*@/, "//")} (transaction mode)`);
  } else {
    run.log("PgBouncer is not installed (apt-get install pgbouncer, or PGBOUNCER_PATH): scenario 6 skipped");
  }
  run.log(`A ${a.baseUrl} (latency 0, lab on), B ${b.baseUrl} (latency ${SLOW_MS} ms)`);
  return { a, b, c };
}
