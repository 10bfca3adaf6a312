/**
 * Issue 12 ("what an attacker and a failing database found"), items 3, 4, 6 and 9, against
 * the real production server (`next start`, playwright.config.ts). Each test says what it
 * saw on the code before the fix; each failed there.
 */
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";

import { expect, test, type Page } from "@playwright/test";

import { createProject, trpcQuery, type MessageRow, type ProjectRow, type SceneRow } from "./support";

const SESSION = "rs_session";

async function sessionCookie(page: Page) {
  const [session] = (await page.context().cookies()).filter((cookie) => cookie.name === SESSION);
  if (!session) throw new Error("no session cookie");
  return session.value;
}

/** A raw request with a Cookie header exactly as given (Node's fetch, no cookie jar). */
async function rawCall(url: string, cookie: string, init: RequestInit = {}) {
  const response = await fetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), cookie } });
  return { status: response.status, text: await response.text(), setCookie: response.headers.getSetCookie() };
}

/** A tiny site on another loopback port: same site as the app (127.0.0.1), another origin. */
async function serveOtherOrigin(html: (origin: string) => string): Promise<{ origin: string; server: Server }> {
  const server = createServer((request, response) => {
    response.setHeader("content-type", "text/html");
    response.end(html(`http://127.0.0.1:${(server.address() as { port: number }).port}`));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { origin: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server };
}

test.describe("issue 12: errors, cookies, forgery, batches (production server)", () => {
  test("item 3: scene.update with expectedVersion 2147483648 answers 400, with no SQL or parameters (before the fix: 500 with the SQL)", async ({
    page,
  }) => {
    const projectId = await createProject(page);
    const [scene] = await trpcQuery<SceneRow[]>(page, "generation.getProjectScenes", { projectId });
    const response = await page.request.post("/api/trpc/scene.update", {
      data: { json: { sceneId: scene?.id, expectedVersion: 2_147_483_648, patch: { title: "Overflow" } } },
    });
    const text = await response.text();
    expect(response.status(), text).toBe(400);
    const body = JSON.parse(text) as { error: { json: { message: string; data: { code: string } } } };
    expect(body.error.json.data.code).toBe("BAD_REQUEST");
    expect(body.error.json.message).toMatch(/^expectedVersion: /);
    // The error shape names the procedure ("scene.update"); nothing else may say "update".
    const rest = text.toLowerCase().replaceAll("scene.update", "");
    for (const leak of ["select", "update", "params", "stack"]) expect(rest, text).not.toContain(leak);
  });

  test("item 4: a duplicate rs_session cookie: the valid one wins wherever it is (before the fix: 500 URI malformed / 401 forever)", async ({
    page,
    baseURL,
  }) => {
    const projectId = await createProject(page);
    const valid = await sessionCookie(page);

    for (const bad of ["%E0%A4%A", "garbage"]) {
      const cookie = `${SESSION}=${bad}; ${SESSION}=${valid}`;
      const list = await rawCall(`${baseURL}/api/trpc/project.list`, cookie);
      expect(list.status, `${bad}: ${list.text}`).toBe(200);
      const projects = (JSON.parse(list.text) as { result: { data: { json: ProjectRow[] } } }).result.data.json;
      expect(projects.map((project) => project.id), bad).toContain(projectId);
      expect(list.setCookie.filter((value) => value.startsWith(`${SESSION}=`)), bad).toEqual([]);

      // The page, rendered on the server with the same parser, shows the user's project.
      const home = await rawCall(`${baseURL}/`, cookie);
      expect(home.status, bad).toBe(200);
      expect(home.text, bad).toContain(projectId);
    }
  });

  test("item 4: only invalid rs_session cookies: a new user and a new cookie, once (before the fix: 401 once the stale cookie was sent beside the new one)", async ({
    page,
    baseURL,
  }) => {
    await createProject(page);
    const ownerId = (await sessionCookie(page)).split(".")[0];

    for (const bad of [`${SESSION}=garbage`, `${SESSION}=%E0%A4%A`, `${SESSION}=garbage; ${SESSION}=%E0%A4%A`]) {
      const first = await rawCall(`${baseURL}/api/trpc/project.list`, bad);
      expect(first.status, `${bad}: ${first.text}`).toBe(200);
      expect((JSON.parse(first.text) as { result: { data: { json: unknown[] } } }).result.data.json).toEqual([]);
      const minted = first.setCookie.find((value) => value.startsWith(`${SESSION}=`))?.split(";")[0];
      expect(minted, bad).toBeDefined();
      expect(minted?.slice(SESSION.length + 1).split(".")[0]).not.toBe(ownerId);

      // The browser now sends the new cookie (and perhaps the old one too): no further cookie.
      const next = await rawCall(`${baseURL}/api/trpc/project.create`, `${bad}; ${minted}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ json: {} }),
      });
      expect(next.status, next.text).toBe(200);
      expect(next.setCookie.filter((value) => value.startsWith(`${SESSION}=`))).toEqual([]);
      const again = await rawCall(`${baseURL}/api/trpc/project.list`, String(minted));
      expect((JSON.parse(again.text) as { result: { data: { json: unknown[] } } }).result.data.json).toHaveLength(1);
    }
  });

  test("item 6: a page on another origin of the same site auto-submits a multipart form to project.create: refused, no project (before the fix: created one)", async ({
    page,
    baseURL,
  }) => {
    // The app's own client still works, and sends JSON with its own Origin.
    const ownCreate = page.waitForRequest((request) => request.url().includes("/api/trpc/project.create"));
    await createProject(page);
    const ownHeaders = await (await ownCreate).allHeaders();
    expect(ownHeaders.origin).toBe(baseURL);
    expect(ownHeaders["content-type"]).toBe("application/json");
    expect(ownHeaders["sec-fetch-site"]).toBe("same-origin");
    const before = await trpcQuery<ProjectRow[]>(page, "project.list", undefined);
    expect(before).toHaveLength(1);

    const { origin, server } = await serveOtherOrigin(
      () => `<!doctype html><title>Win a prize</title>
        <form id="f" method="POST" enctype="multipart/form-data" action="${baseURL}/api/trpc/project.create">
          <input name="title" value="Forged by another origin">
        </form>
        <script>document.getElementById("f").submit()</script>`,
    );
    try {
      expect(origin).not.toBe(baseURL);
      const forged = page.waitForResponse((response) => response.url().includes("/api/trpc/project.create"));
      await page.goto(origin);
      const response = await forged;
      const sent = await response.request().allHeaders();
      expect(sent.cookie, "SameSite=Lax sends the cookie to another port of the same site").toContain(`${SESSION}=`);
      expect(sent.origin).toBe(origin);
      expect(sent["content-type"]).toMatch(/^multipart\/form-data/);
      expect(response.status()).toBe(403);
      expect(await response.text()).toMatch(/Cross-site requests are refused/);
    } finally {
      server.close();
    }

    const after = await trpcQuery<ProjectRow[]>(page, "project.list", undefined);
    expect(after.map((project) => project.id)).toEqual(before.map((project) => project.id));
  });

  test("item 6: a JSON mutation with a foreign Origin or a same-site Sec-Fetch-Site is refused; the app's own Origin is served (before the fix: all created)", async ({
    page,
    baseURL,
  }) => {
    await page.goto("/");
    const cookie = `${SESSION}=${await sessionCookie(page)}`;
    const create = (headers: Record<string, string>) =>
      rawCall(`${baseURL}/api/trpc/project.create`, cookie, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ json: { title: "Forged JSON" } }),
      });

    const foreign: Record<string, string>[] = [
      { origin: "http://127.0.0.1:1" },
      { origin: "https://evil.example" },
      { origin: "null" },
      { "sec-fetch-site": "same-site" },
      { "sec-fetch-site": "cross-site" },
    ];
    for (const headers of foreign) {
      const answer = await create(headers);
      expect(answer.status, `${JSON.stringify(headers)}: ${answer.text}`).toBe(403);
    }
    expect(await trpcQuery<ProjectRow[]>(page, "project.list", undefined)).toEqual([]);

    const own = await create({ origin: String(baseURL), "sec-fetch-site": "same-origin" });
    expect(own.status, own.text).toBe(200);
    expect(await trpcQuery<ProjectRow[]>(page, "project.list", undefined)).toHaveLength(1);
  });

  test("item 9: a batch of 11 generateScene calls is refused with a clear message and generates nothing (before the fix: all 11 ran)", async ({
    page,
  }) => {
    const projectId = await createProject(page);
    const calls = 11;
    const path = Array.from({ length: calls }, () => "generation.generateScene").join(",");
    const input = Object.fromEntries(
      Array.from({ length: calls }, (_, index) => [index, { json: { projectId, prompt: `Scene ${index}`, requestId: randomUUID() } }]),
    );
    const response = await page.request.post(`/api/trpc/${path}?batch=1`, { data: input });
    const text = await response.text();
    expect(response.status(), text).toBe(400);
    expect(text).toContain("Too many calls in one request: a batch can hold at most 10.");

    expect(await trpcQuery<MessageRow[]>(page, "generation.getChatMessages", { projectId })).toEqual([]);
    const scenes = await trpcQuery<SceneRow[]>(page, "generation.getProjectScenes", { projectId });
    expect(scenes.map((scene) => scene.kind)).toEqual(["welcome"]);
  });
});
