/**
 * TanStack Query's Devtools in development: a `next dev` of this checkout (its own port, on
 * the suite's database; Next 16 builds dev output apart from the production `.next`), the
 * workspace opened in the browser, and the Devtools' toggle on the page. The production
 * bundles have none of their code: security.spec.ts scans them.
 */
import { spawn } from "node:child_process";
import { createServer } from "node:net";

import { expect, test } from "@playwright/test";

import { E2E_SESSION_SECRET } from "./support";

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });

test("next dev: the workspace shows the TanStack Query Devtools toggle", async ({ page, request }) => {
  test.setTimeout(240_000);
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, ["node_modules/next/dist/bin/next", "dev", "-H", "127.0.0.1", "-p", String(port)], {
    env: { ...process.env, NODE_ENV: "development", SESSION_SECRET: E2E_SESSION_SECRET, GENERATION_LATENCY_MS: "0" },
    stdio: "ignore",
  });
  try {
    await expect
      .poll(async () => (await request.get(`${origin}/api/health`, { timeout: 60_000 }).catch(() => undefined))?.status(), {
        timeout: 180_000,
      })
      .toBe(200);
    await page.goto(origin, { timeout: 120_000 });
    await page.getByTestId("new-project").click();
    await expect(page).toHaveURL(/\/projects\/[0-9a-f-]{36}\/generate/, { timeout: 120_000 });
    await expect(page.getByRole("button", { name: "Open Tanstack query devtools" })).toBeVisible({ timeout: 120_000 });
  } finally {
    const exited = new Promise((resolve) => server.once("exit", resolve));
    server.kill("SIGINT");
    await exited;
  }
});
