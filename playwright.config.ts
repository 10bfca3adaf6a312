import { existsSync } from "node:fs";

import { defineConfig, devices } from "@playwright/test";

/**
 * e2e against the production build (`next build` + `next start`) on its own embedded
 * PostgreSQL folder, in Chromium. `npm run test:e2e` (scripts/run-e2e.ts) picks the
 * browser and a free port; run directly, this falls back to CHROMIUM_PATH,
 * /usr/bin/chromium, then Playwright's own Chromium, and port 3917.
 */
const port = Number(process.env.E2E_PORT ?? 3917);
const baseURL = `http://127.0.0.1:${port}`;
const executablePath =
  process.env.CHROMIUM_PATH ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);

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
    {
      name: "chromium",
      use: {
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
      },
    },
  ],
  webServer: {
    command: `npm run build && node --import tsx scripts/with-database.ts next start -H 127.0.0.1 -p ${port}`,
    url: `${baseURL}/api/health`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGINT", timeout: 15_000 },
    env: {
      PGDATA_DIR: ".data/e2e-postgres",
      SESSION_SECRET: process.env.SESSION_SECRET ?? "e2e-only-secret-not-for-production-use-000",
      RACE_LAB: "1",
      GENERATION_LATENCY_MS: "1500",
      NEXT_TELEMETRY_DISABLED: "1",
    },
  },
});
