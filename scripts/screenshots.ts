/**
 * `npm run screenshots`: the README's images, taken from the real app so they stay current.
 *
 *   docs/images/workspace.png    a project with three generated scenes and its chat (1280 px)
 *   docs/images/lab.png          the Race Lab after a naive vs locked race (1280 px)
 *   docs/images/lab-mobile.png   the same race at 390 px
 *
 * By default it stands up everything itself, like `npm run test:e2e`: a throwaway
 * embedded PostgreSQL (migrated), `next build` (SCREENSHOTS_SKIP_BUILD=1 reuses the last
 * build), and `next start` with RACE_LAB=1 on a free loopback port; all of it is stopped
 * at the end, on error and on Ctrl-C. With SCREENSHOT_URL set it photographs that running
 * app instead (e.g. `npm run dev`, then SCREENSHOT_URL=http://localhost:3000).
 *
 * Chromium: CHROMIUM_PATH, else /usr/bin/chromium, else Playwright's own.
 */
import { existsSync, mkdirSync, statSync } from "node:fs";
import path from "node:path";

import { chromium, expect as baseExpect, type Browser, type Page } from "@playwright/test";

import { findFreePort } from "~/server/db/embedded";
import { migrateDatabase } from "~/server/db/migrate";
import { startThrowawayPostgres } from "./lib/embedded";
import { buildUnlessReused, startNextServer } from "./lib/next-app";
import { ScriptRun } from "./lib/run";

const OUT_DIR = path.join("docs", "images");
const MAX_BYTES = 300 * 1024;
const DESKTOP = { width: 1280, height: 860 };
const DESKTOP_TALL = { width: 1280, height: 1040 };
const MOBILE = { width: 390, height: 844 };

// Generous: a first visit to a `next dev` server (SCREENSHOT_URL) compiles the page.
const expect = baseExpect.configure({ timeout: 30_000 });

const run = new ScriptRun({ label: "screenshots", deadlineMs: 10 * 60_000 });

function chromiumPath() {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  return existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined;
}

/** The app to photograph: SCREENSHOT_URL, or a production server this script starts. */
async function appUrl(): Promise<string | number> {
  if (process.env.SCREENSHOT_URL) {
    run.log(`using the running app at ${process.env.SCREENSHOT_URL}`);
    return process.env.SCREENSHOT_URL.replace(/\/$/, "");
  }
  const database = await startThrowawayPostgres("screenshots");
  run.defer("database", database.dispose);
  await migrateDatabase(database.url);
  run.log("throwaway PostgreSQL ready and migrated");

  const build = await buildUnlessReused(run, "SCREENSHOTS_SKIP_BUILD");
  if (build && build.status !== 0) return build.status;

  const server = await startNextServer({
    name: "app",
    port: await findFreePort(),
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: database.url,
      RACE_LAB: "1",
      GENERATION_LATENCY_MS: "300",
      SESSION_SECRET: process.env.SESSION_SECRET ?? "screenshots-only-secret-not-for-production-use",
    },
  });
  run.defer("next start", server.stop);
  run.log(`next start on ${server.baseUrl}`);
  return server.baseUrl;
}

async function save(page: Page, name: string, options: { fullPage?: boolean } = {}) {
  const file = path.join(OUT_DIR, name);
  await page.screenshot({ path: file, fullPage: options.fullPage ?? false, animations: "disabled", caret: "hide" });
  const bytes = statSync(file).size;
  run.log(`${file}: ${(bytes / 1024).toFixed(0)} KB`);
  if (bytes > MAX_BYTES) throw new Error(`${file} is ${(bytes / 1024).toFixed(0)} KB, over the 300 KB budget`);
}

/** Waits (on the page, never a sleep) until the last assistant reply is done. */
async function generate(page: Page, prompt: string, replies: number) {
  await page.getByLabel("Prompt").fill(prompt);
  await page.getByTestId("send").click();
  const done = page.locator('[data-testid="chat-message"][data-role="assistant"][data-status="success"]');
  await expect(done).toHaveCount(replies, { timeout: 20_000 });
}

async function workspace(browser: Browser, baseUrl: string) {
  const context = await browser.newContext({ viewport: DESKTOP, baseURL: baseUrl });
  try {
    const page = await context.newPage();
    await page.goto("/");
    await page.getByTestId("new-project").click();
    await expect(page).toHaveURL(/\/projects\/[0-9a-f-]{36}\/generate/);
    await expect(page.getByTestId("scene-card")).toHaveCount(1);
    await generate(page, 'A navy intro titled "Launch day" that fades in', 1);
    await generate(page, 'A teal scene "Meet the team" that slides in', 2);
    await generate(page, 'A gold outro "Thanks for watching" with a slow zoom', 3);
    await expect(page.getByTestId("scene-card")).toHaveCount(3);
    await page.mouse.move(0, 0);
    await save(page, "workspace.png");
  } finally {
    await context.close();
  }
}

async function raceNaiveVersusLocked(page: Page) {
  await page.goto("/lab");
  await expect(page.getByTestId("strategy-naive")).toBeChecked();
  await expect(page.getByTestId("strategy-locked")).toBeChecked();
  await page.getByTestId("race-button").click();
  await expect(page.locator('[data-testid="verdict"][data-strategy="naive"]')).toHaveAttribute("data-lost", "true", {
    timeout: 30_000,
  });
  await expect(page.locator('[data-testid="verdict"][data-strategy="locked"]')).toHaveAttribute("data-lost", "false");
  await page.mouse.move(0, 0);
}

async function lab(browser: Browser, baseUrl: string) {
  const context = await browser.newContext({ viewport: DESKTOP_TALL, baseURL: baseUrl });
  try {
    const page = await context.newPage();
    // The first races after a server start run cold (JIT, caches) and take a few hundred ms;
    // a warm-up race makes the captured one look like every later one.
    await raceNaiveVersusLocked(page);
    await raceNaiveVersusLocked(page);
    // The results, with the form's bottom edge above them for context.
    await page.getByTestId("results").evaluate((element) => element.scrollIntoView({ block: "start" }));
    await page.evaluate(() => window.scrollBy(0, -24));
    await save(page, "lab.png");
  } finally {
    await context.close();
  }
}

async function labMobile(browser: Browser, baseUrl: string) {
  const context = await browser.newContext({ viewport: MOBILE, baseURL: baseUrl, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  try {
    const page = await context.newPage();
    await raceNaiveVersusLocked(page);
    await raceNaiveVersusLocked(page);
    await page.locator('[data-testid="run"][data-strategy="naive"]').evaluate((element) => element.scrollIntoView({ block: "start" }));
    await page.evaluate(() => window.scrollBy(0, -8));
    await save(page, "lab-mobile.png");
  } finally {
    await context.close();
  }
}

run.execute(async () => {
  const url = await appUrl();
  if (typeof url === "number") return url;
  mkdirSync(OUT_DIR, { recursive: true });

  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"],
  });
  run.defer("browser", () => browser.close());

  await workspace(browser, url);
  await lab(browser, url);
  await labMobile(browser, url);
  run.log(`done in ${run.elapsed().toFixed(1)} s`);
  return 0;
});
