/**
 * `npm run test:e2e [-- playwright args]`: everything the e2e suite stands on, once.
 *
 * 1. finds a Chromium (CHROMIUM_PATH, else /usr/bin/chromium, else Playwright's own,
 *    installing it when missing);
 * 2. starts the embedded PostgreSQL on `.data/e2e-postgres` (or uses DATABASE_URL) and
 *    applies the migrations;
 * 3. runs `next build` once (E2E_SKIP_BUILD=1 reuses an existing `.next` build);
 * 4. picks two free ports and runs `playwright test`, whose config starts TWO
 *    `next start` instances on that one database (the two-instance race tests);
 * 5. stops PostgreSQL when Playwright exits (or on Ctrl-C) and exits with its code.
 * E2E_POOLER=1 puts PgBouncer in transaction mode between the instances and the database.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

import { chromium } from "@playwright/test";

import { parseEnv } from "~/env";
import { findFreePort, startEmbeddedPostgres, type EmbeddedDatabase } from "~/server/db/embedded";
import { migrateDatabase } from "~/server/db/migrate";

import { stopEmbedded } from "./lib/embedded";
import { startPgBouncer } from "./lib/pgbouncer";

function findChromium(): string | undefined {
  if (process.env.CHROMIUM_PATH) {
    if (!existsSync(process.env.CHROMIUM_PATH)) {
      throw new Error(`CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist`);
    }
    return process.env.CHROMIUM_PATH;
  }
  if (existsSync("/usr/bin/chromium")) return "/usr/bin/chromium";
  if (!existsSync(chromium.executablePath())) {
    console.log("[e2e] no system Chromium found; running `playwright install chromium`");
    const install = spawnSync("npx", ["playwright", "install", "chromium"], { stdio: "inherit" });
    if (install.status !== 0) {
      throw new Error(
        "Could not install Playwright's Chromium. Install one (Debian: apt-get install chromium) " +
          "or set CHROMIUM_PATH to a Chromium executable.",
      );
    }
  }
  return undefined;
}

/** Two distinct free loopback ports (E2E_PORT / E2E_PORT_2 win when set). */
async function pickPorts(): Promise<[string, string]> {
  const first = process.env.E2E_PORT ?? String(await findFreePort());
  let second = process.env.E2E_PORT_2 ?? String(await findFreePort());
  while (second === first) second = String(await findFreePort());
  return [first, second];
}

// The CLIs run as direct children of this process (not via npx, whose `sh -c` layer does
// not pass a signal on), so a SIGTERM sent to this process alone still reaches Playwright.
const resolveModule = createRequire(import.meta.url).resolve;
const nextCli = resolveModule("next/dist/bin/next");
const playwrightCli = resolveModule("@playwright/test/cli");

/** The child running now (next build, then playwright test), for the signal handler. */
let current: ChildProcess | undefined;

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const child = spawn(command, args, { stdio: "inherit", env });
  current = child;
  return new Promise<number>((resolve) => {
    child.on("exit", (code, signal) => {
      current = undefined;
      resolve(code ?? (signal ? 130 : 1));
    });
    child.on("error", (error) => {
      current = undefined;
      console.error(`[e2e] could not run ${command}: ${error.message}`);
      resolve(127);
    });
  });
}

async function build(): Promise<number> {
  if (process.env.E2E_SKIP_BUILD === "1" && existsSync(path.join(".next", "BUILD_ID"))) {
    console.log("[e2e] E2E_SKIP_BUILD=1: reusing the existing .next build");
    return 0;
  }
  const started = Date.now();
  const status = await run(process.execPath, [nextCli, "build"], { ...process.env, NEXT_TELEMETRY_DISABLED: "1" });
  console.log(`[e2e] next build: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return status;
}

async function main(): Promise<number> {
  const env = parseEnv();
  const browser = findChromium();

  let embedded: EmbeddedDatabase | undefined;
  let stopped: Promise<void> | undefined;
  // Once, whoever asks first (the normal end or a signal); later callers await the same stop.
  const stopDatabase = () => (stopped ??= stopEmbedded(embedded, "e2e"));
  let stopPooler: (() => Promise<void>) | undefined;

  // A signal becomes SIGINT for the running child: for Playwright that is the signal it
  // handles by stopping both web servers (gracefulShutdown) before it exits, and it ignores
  // repeats within a second, so a Ctrl-C that already reached it is not counted twice.
  // The child's exit then takes the normal path below, which stops PostgreSQL last.
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (current) current.kill("SIGINT");
      else void stopDatabase().then(() => process.exit(130));
    });
  }

  try {
    const url =
      env.DATABASE_URL ??
      (embedded = await startEmbeddedPostgres({ dataDir: path.join(process.cwd(), ".data", "e2e-postgres") })).url;
    // E2E_POOLER=1: the two instances reach the database through PgBouncer in transaction mode.
    const pooler = process.env.E2E_POOLER === "1" ? await startPgBouncer(url) : undefined;
    stopPooler = pooler?.stop;
    await migrateDatabase(url, { behindPooler: !!pooler });
    console.log(`[e2e] migrations applied (${embedded ? "embedded PostgreSQL, .data/e2e-postgres" : "DATABASE_URL"})`);
    const databaseEnv = pooler
      ? { DATABASE_URL: pooler.url, DATABASE_DIRECT_URL: url, DATABASE_POOLER: "transaction" }
      : { DATABASE_URL: url };
    if (pooler) console.log("[e2e] the app instances connect through PgBouncer (transaction mode)");

    const buildStatus = await build();
    if (buildStatus !== 0) {
      console.error("[e2e] next build failed");
      return buildStatus;
    }

    const [port, port2] = await pickPorts();
    console.log(`[e2e] browser: ${browser ?? "Playwright's Chromium"}; app instances on ports ${port} and ${port2}`);
    return await run(process.execPath, [playwrightCli, "test", ...process.argv.slice(2)], {
      ...process.env,
      // The web servers run `next` by name, also when this script is run without npm.
      PATH: [path.resolve("node_modules", ".bin"), process.env.PATH].join(path.delimiter),
      ...databaseEnv,
      E2E_PORT: port,
      E2E_PORT_2: port2,
      ...(browser ? { CHROMIUM_PATH: browser } : {}),
    });
  } finally {
    await stopPooler?.();
    await stopDatabase();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
