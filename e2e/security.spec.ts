import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";

import { expect, test } from "@playwright/test";

import { createProject, E2E_SESSION_SECRET, sendButton, trpcQuery, waitForExchanges, type MessageRow } from "./support";

test("hostile text is stored verbatim and rendered as text, never as markup", async ({ page }) => {
  await page.addInitScript(() => {
    (window as unknown as { xss: number }).xss = 0;
  });
  const projectId = await createProject(page);
  const prompt = `<img src=x onerror="window.xss=1"> "><script>window.xss=2</script> '; drop table scenes; --`;

  await page.getByLabel("Prompt").fill(prompt);
  await (await sendButton(page)).click();
  await waitForExchanges(page, projectId, 1);

  const userMessage = page.locator('[data-testid="chat-message"][data-role="user"]');
  await expect(userMessage).toContainText(prompt);
  await expect(page.locator('[data-testid="chat-message"] img, [data-testid="scene-card"] img')).toHaveCount(0);
  await expect(page.locator('[data-testid="chat-message"] script')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { xss: number }).xss)).toBe(0);

  const [stored] = await trpcQuery<MessageRow[]>(page, "generation.getChatMessages", { projectId });
  expect((stored as MessageRow & { content: string }).content).toBe(prompt);
});

test("a forged or tampered session cookie gets a new anonymous user, not the owner's projects", async ({
  page,
  context,
  baseURL,
}) => {
  const projectId = await createProject(page);
  const [session] = (await context.cookies()).filter((cookie) => cookie.name === "rs_session");
  if (!session || !baseURL) throw new Error("no session cookie");
  const [ownerId, signature] = session.value.split(".");
  const forgeries = [
    `${ownerId}.${"A".repeat(43)}`,
    `${ownerId}.${signature?.slice(0, -2)}xx`,
    ownerId ?? "",
    `${ownerId}.${signature}.extra`,
  ];

  for (const forged of forgeries) {
    await context.clearCookies();
    await context.addCookies([{ name: "rs_session", value: forged, url: baseURL }]);
    const response = await page.goto(`/projects/${projectId}/generate`);
    expect(response?.status(), forged).toBe(404);
    const [fresh] = (await context.cookies()).filter((cookie) => cookie.name === "rs_session");
    expect(fresh?.value).not.toBe(forged);
    expect(fresh?.value.split(".")[0]).not.toBe(ownerId);
  }
});

test("a form on another site posting to the app cannot replace the visitor's session, and a page it posts to opens as theirs", async ({
  page,
  context,
  baseURL,
}) => {
  // Six navigations (three pages on another origin, each posting its form) on top of creating a project.
  test.setTimeout(60_000);
  const projectId = await createProject(page);
  const sessionValue = async () => (await context.cookies()).find((cookie) => cookie.name === "rs_session")?.value;
  const own = await sessionValue();
  if (!own || !baseURL) throw new Error("no session cookie");
  const appOrigin = new URL(baseURL).origin;
  const workspace = `/projects/${projectId}/generate`;
  const documents: string[] = [];
  page.on("response", (response) => {
    const request = response.request();
    if (request.resourceType() === "document" && new URL(request.url()).origin === appOrigin) {
      documents.push(`${request.method()} ${response.status()}`);
    }
  });

  // A page on another site that submits itself as soon as it loads: a top-level POST
  // navigation, which Chromium sends without the SameSite=Lax cookie but lets set one.
  const attacker = "http://attacker.example";
  for (const target of ["/", workspace, "/api/trpc/project.create"]) {
    documents.length = 0;
    await page.route(`${attacker}/**`, (route) =>
      route.fulfill({
        contentType: "text/html",
        body: `<form method="post" action="${new URL(target, baseURL).href}"><input name="title" value="x"></form>
               <script>document.forms[0].submit()</script>`,
      }),
    );
    await page.goto(`${attacker}/`);
    await page.waitForURL((url) => url.origin === appOrigin);
    await page.unroute(`${attacker}/**`);
    expect(await sessionValue(), target).toBe(own);
    if (target.startsWith("/api/")) continue;
    // The page opens as the visitor's own (before: a 500, rendered for no user).
    if (target === workspace) await expect(page.getByTestId("scene-card")).toHaveCount(1);
    else await expect(page.locator(`a[href="${workspace}"]`).first()).toBeVisible();
    expect(documents, target).toEqual(["POST 303", "GET 200"]);
  }

  const response = await page.goto(workspace);
  expect(response?.status()).toBe(200);
});

test("a URL whose path has a malformed percent-escape is a 400 that says so, not Next.js's bare 500", async ({ request }) => {
  for (const path of ["/projects/%ZZ/generate", "/projects/%E0%A4%A/generate", "/api/trpc/project.get%ZZ"]) {
    const response = await request.get(path);
    expect(response.status(), path).toBe(400);
    expect(await response.text(), path).toMatch(/malformed percent-escape/);
  }
  // A well-formed escape in an API path is still the tRPC route's.
  const batch = await request.get("/api/trpc/project.list%2Cproject.list?batch=1&input=%7B%7D");
  expect(batch.status()).toBe(200);
});

test("closing the browser mid-request leaves a finished exchange, nothing half-written", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const projectId = await createProject(page);
  await page.getByLabel("Prompt").fill("A teal closing card");
  await (await sendButton(page)).click();
  await expect(page.getByTestId("typing-indicator")).toBeVisible();

  await page.close();

  const observer = await context.newPage();
  const state = await waitForExchanges(observer, projectId, 1);
  expect(state.messages.map((message) => message.status)).toEqual(["success", "success"]);
  expect(state.scenes.map((scene) => scene.kind)).toEqual(["generated"]);
  await context.close();
});

test("a production build has no TanStack Query Devtools code (they load in next dev only)", () => {
  const staticDir = path.join(process.cwd(), ".next", "static");
  const files = readdirSync(staticDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".js"))
    .map((entry) => path.join(entry.parentPath, entry.name));
  expect(files.length).toBeGreaterThan(5);
  // The Devtools' own markers: its toggle's label and its CSS class prefix.
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    expect(text.includes("Open Tanstack query devtools") || text.includes("tsqd-"), `Devtools code in ${file}`).toBe(false);
  }
});

test("no server secret or server-only code reaches the client bundles", () => {
  const staticDir = path.join(process.cwd(), ".next", "static");
  const files = readdirSync(staticDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(js|css|json)$/.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name));
  expect(files.length).toBeGreaterThan(5);

  const forbidden = [
    E2E_SESSION_SECRET,
    process.env.DATABASE_URL ?? "postgres://",
    "postgres://",
    "dev-session-secret",
    "race-safe.db", // the server's DB client cache key
    "pg_advisory_lock",
  ];
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    for (const needle of forbidden) expect(text.includes(needle), `${needle} in ${file}`).toBe(false);
  }
});

test("a production build without RACE_LAB=1 hides the lab", async ({ request }) => {
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
  const server = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-H", "127.0.0.1", "-p", String(port)], {
    env: { ...process.env, RACE_LAB: "", SESSION_SECRET: E2E_SESSION_SECRET, NODE_ENV: "production" },
    stdio: "ignore",
  });
  try {
    const origin = `http://127.0.0.1:${port}`;
    await expect
      .poll(async () => (await request.get(`${origin}/api/health`).catch(() => undefined))?.status(), { timeout: 20_000 })
      .toBe(200);

    const lab = await request.post(`${origin}/api/trpc/lab.generateScene`, {
      data: { json: { projectId: crypto.randomUUID(), prompt: "x", strategy: "naive", latencyMs: 0 } },
    });
    expect(lab.status()).toBe(404);
    expect(((await lab.json()) as { error: { json: { message: string } } }).error.json.message).toMatch(/not enabled/);

    const page = await request.get(`${origin}/lab`);
    expect(page.status()).toBe(404);
    const workspace = await request.get(`${origin}/lab/projects/${crypto.randomUUID()}?strategy=naive`);
    expect(workspace.status()).toBe(404);
  } finally {
    const exited = new Promise((resolve) => server.once("exit", resolve));
    server.kill("SIGINT");
    await exited;
  }
});
