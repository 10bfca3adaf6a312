import { existsSync } from "node:fs";

import { defineConfig, devices } from "@playwright/test";

import { E2E_SESSION_SECRET } from "./e2e/support";

/**
 * e2e against the production build, in Chromium: TWO `next start` instances on two ports
 * against ONE PostgreSQL, so a test can split one user's requests across processes (where
 * an in-process lock could not help). `npm run test:e2e` (scripts/run-e2e.ts) prepares
 * everything this needs: the database (DATABASE_URL), `next build`, the ports
 * (E2E_PORT, E2E_PORT_2) and the browser (CHROMIUM_PATH).
 */
if (!process.env.DATABASE_URL) {
  throw new Error(
    "DATABASE_URL is not set. Run the e2e suite with `npm run test:e2e` (extra arguments go to " +
      "`playwright test`, e.g. `npm run test:e2e -- -g \"two tabs\"`): it starts the database, " +
      "builds the app and picks the ports.",
  );
}

// Defaults for a direct `npx playwright test` with DATABASE_URL set and a build in `.next`.
// Written back to process.env so the test workers (which inherit it) see the same ports.
const ports = [(process.env.E2E_PORT ??= "3917"), (process.env.E2E_PORT_2 ??= "3918")];
const baseURL = `http://127.0.0.1:${ports[0]}`;
const executablePath =
  process.env.CHROMIUM_PATH ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);

const chromium = {
  ...devices["Desktop Chrome"],
  launchOptions: {
    executablePath,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-quic",
      "--no-first-run",
    ],
  },
};

export default defineConfig({
  testDir: "./e2e",
  fullyParallel: true,
  forbidOnly: true,
  retries: 0,
  workers: 2,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    { name: "chromium", use: chromium, testIgnore: /devtools\.spec\.ts$/ },
    // `next dev` compiles on the machine's CPUs: after the race specs, so it never slows their timing.
    { name: "next dev", use: chromium, testMatch: /devtools\.spec\.ts$/, dependencies: ["chromium"] },
  ],
  // One build (`next build`, run by scripts/run-e2e.ts), two processes. The same
  // SESSION_SECRET on both, so the session cookie one signs is valid on the other; cookies
  // ignore the port, so one browser context is one user on both instances.
  webServer: ports.map((port, index) => ({
    name: `app-${index + 1}`,
    command: `node --import tsx scripts/with-database.ts next start -H 127.0.0.1 -p ${port}`,
    url: `http://127.0.0.1:${port}/api/health`,
    timeout: 60_000,
    reuseExistingServer: false,
    stdout: "ignore" as const,
    stderr: "pipe" as const,
    gracefulShutdown: { signal: "SIGINT" as const, timeout: 15_000 },
    env: {
      DATABASE_URL: process.env.DATABASE_URL ?? "",
      // Behind PgBouncer (E2E_POOLER=1 in scripts/run-e2e.ts): the direct URL and the pooler mode.
      ...(process.env.DATABASE_POOLER
        ? { DATABASE_POOLER: process.env.DATABASE_POOLER, DATABASE_DIRECT_URL: process.env.DATABASE_DIRECT_URL ?? "" }
        : {}),
      SESSION_SECRET: E2E_SESSION_SECRET,
      RACE_LAB: "1",
      GENERATION_LATENCY_MS: "1500",
      NEXT_TELEMETRY_DISABLED: "1",
    },
  })),
});
