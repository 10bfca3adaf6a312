/**
 * `npm run test:e2e`: finds a Chromium (CHROMIUM_PATH, else /usr/bin/chromium, else
 * Playwright's own, installing it when missing), picks a free port, then runs
 * `playwright test` with any extra arguments passed through.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

import { chromium } from "@playwright/test";

import { findFreePort } from "~/server/db/embedded";

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

const browser = findChromium();
const port = process.env.E2E_PORT ?? String(await findFreePort());
console.log(`[e2e] browser: ${browser ?? "Playwright's Chromium"}; app port: ${port}`);

const run = spawnSync("npx", ["playwright", "test", ...process.argv.slice(2)], {
  stdio: "inherit",
  env: { ...process.env, E2E_PORT: port, ...(browser ? { CHROMIUM_PATH: browser } : {}) },
});
process.exit(run.status ?? 1);
