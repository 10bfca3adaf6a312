/**
 * Issue 12, items 3, 6 and 9, through the real route handler (src/app/api/trpc/[trpc]/route.ts)
 * on a real PostgreSQL. Every test named "(failed before the fix)" fails on the code before
 * it: multipart bodies and foreign origins were accepted and created projects, a batch had
 * no size limit, and an expectedVersion past int4 reached PostgreSQL and came back as a 500
 * carrying the SQL.
 */
import { randomUUID } from "node:crypto";

import { count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { GET, POST } from "~/app/api/trpc/[trpc]/route";
import { MAX_BATCH_SIZE as APP_MAX_BATCH_SIZE } from "~/lib/inputs";
import { SESSION_COOKIE, signSession } from "~/server/auth/session";
import { getDb } from "~/server/db";
import { messages, projects } from "~/server/db/schema";
import { callerFor } from "../support/callers";

const ORIGIN = "http://localhost";
/** The batch limit (MAX_BATCH_SIZE in src/lib/inputs.ts). */
const MAX_BATCH_SIZE = 10;

interface ErrorBody {
  error?: { json: { message: string; data: { code: string } } };
}

async function cookieFor(userId: string) {
  return `${SESSION_COOKIE}=${await signSession(userId)}`;
}

async function projectCount(userId: string) {
  const [row] = await getDb().select({ n: count() }).from(projects).where(eq(projects.ownerId, userId));
  return row?.n ?? 0;
}

async function post(path: string, userId: string, headers: Record<string, string>, body: BodyInit) {
  const response = await POST(
    new Request(`${ORIGIN}/api/trpc/${path}`, {
      method: "POST",
      headers: { cookie: await cookieFor(userId), ...headers },
      body,
    }),
  );
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) as ErrorBody | ErrorBody[] };
}

const json = { "content-type": "application/json" };
const createBody = JSON.stringify({ json: { title: "Forged" } });
const firstError = (body: ErrorBody | ErrorBody[]) => (Array.isArray(body) ? body[0] : body)?.error?.json;

describe("mutations refuse cross-site requests and non-JSON bodies (item 6)", () => {
  it("a multipart/form-data POST (what a cross-site <form> sends) is refused with 415 and creates nothing (failed before the fix)", async () => {
    const userId = randomUUID();
    const form = new FormData();
    form.set("title", "Forged by a form");
    const answer = await post("project.create", userId, {}, form);
    expect(answer.status).toBe(415);
    expect(firstError(answer.body)?.data.code).toBe("UNSUPPORTED_MEDIA_TYPE");
    expect(firstError(answer.body)?.message).toMatch(/application\/json/);
    expect(await projectCount(userId)).toBe(0);
  });

  it.each([
    ["text/plain", "text/plain"],
    ["application/octet-stream", "application/octet-stream"],
    ["application/x-www-form-urlencoded", "application/x-www-form-urlencoded"],
    ["a lookalike", "application/jsonp"],
  ])("a %s POST is refused (415) and creates nothing", async (_name, contentType) => {
    const userId = randomUUID();
    const answer = await post("project.create", userId, { "content-type": contentType }, createBody);
    expect(answer.status).toBe(415);
    expect(await projectCount(userId)).toBe(0);
  });

  it.each([
    ["another port of the same host", { origin: "http://localhost:3962" }],
    ["another site", { origin: "https://evil.example" }],
    ["an opaque origin", { origin: "null" }],
    ["another scheme", { origin: "https://localhost" }],
    ["Sec-Fetch-Site: cross-site", { "sec-fetch-site": "cross-site" }],
    ["Sec-Fetch-Site: same-site", { "sec-fetch-site": "same-site" }],
    ["own Origin but Sec-Fetch-Site: same-site", { origin: ORIGIN, "sec-fetch-site": "same-site" }],
  ])("a JSON POST from %s is refused with 403 and creates nothing (failed before the fix)", async (_name, headers) => {
    const userId = randomUUID();
    const answer = await post("project.create", userId, { ...json, ...headers }, createBody);
    expect(answer.status).toBe(403);
    expect(firstError(answer.body)?.data.code).toBe("FORBIDDEN");
    expect(firstError(answer.body)?.message).toMatch(/cross-site/i);
    expect(await projectCount(userId)).toBe(0);
  });

  it.each([
    ["no Origin (a non-browser client)", {}],
    ["its own Origin", { origin: ORIGIN }],
    ["its own Origin and Sec-Fetch-Site: same-origin", { origin: ORIGIN, "sec-fetch-site": "same-origin" }],
    ["a JSON content type with a charset", { "content-type": "application/json; charset=utf-8" }],
  ])("a JSON POST with %s is served", async (_name, headers) => {
    const userId = randomUUID();
    const answer = await post("project.create", userId, { ...json, ...headers }, createBody);
    expect(answer.status, answer.text).toBe(200);
    expect(await projectCount(userId)).toBe(1);
  });

  it("a POST whose Origin matches the Host the server was reached by is served (behind a proxy)", async () => {
    const userId = randomUUID();
    const answer = await post(
      "project.create",
      userId,
      { ...json, origin: "https://app.example", "x-forwarded-host": "app.example", "x-forwarded-proto": "https" },
      createBody,
    );
    expect(answer.status, answer.text).toBe(200);
  });

  it("GET queries are unchanged: a cross-site GET still reads (it writes nothing)", async () => {
    const userId = randomUUID();
    const response = await GET(
      new Request(`${ORIGIN}/api/trpc/project.list`, {
        headers: { cookie: await cookieFor(userId), origin: "http://localhost:3962", "sec-fetch-site": "same-site" },
      }),
    );
    expect(response.status).toBe(200);
  });
});

describe("batches are limited (item 9)", () => {
  const batch = (path: string, size: number) => `${Array.from({ length: size }, () => path).join(",")}?batch=1`;

  it(`a batch of ${MAX_BATCH_SIZE + 1} generateScene calls is refused with a clear message and generates nothing (failed before the fix)`, async () => {
    const userId = randomUUID();
    const project = await callerFor(userId).project.create();
    const inputs = Object.fromEntries(
      Array.from({ length: MAX_BATCH_SIZE + 1 }, (_, index) => [
        index,
        { json: { projectId: project.id, prompt: `Scene ${index}`, requestId: randomUUID() } },
      ]),
    );
    const answer = await post(
      batch("generation.generateScene", MAX_BATCH_SIZE + 1),
      userId,
      json,
      JSON.stringify(inputs),
    );
    expect(answer.status).toBe(400);
    expect(Array.isArray(answer.body), "one error for the whole request").toBe(false);
    expect(firstError(answer.body)?.data.code).toBe("BAD_REQUEST");
    expect(firstError(answer.body)?.message).toBe(
      `Too many calls in one request: a batch can hold at most ${MAX_BATCH_SIZE}. Send the rest in another request.`,
    );
    const [stored] = await getDb().select({ n: count() }).from(messages).where(eq(messages.projectId, project.id));
    expect(stored?.n).toBe(0);
  });

  it("counts the calls after decoding the path (an encoded comma is still a separator)", async () => {
    const userId = randomUUID();
    const path = `${Array.from({ length: MAX_BATCH_SIZE + 1 }, () => "project.list").join("%2C")}?batch=1`;
    const response = await GET(new Request(`${ORIGIN}/api/trpc/${path}`, { headers: { cookie: await cookieFor(userId) } }));
    expect(response.status).toBe(400);
  });

  it(`a batch of ${MAX_BATCH_SIZE} is served`, async () => {
    const userId = randomUUID();
    const response = await GET(
      new Request(`${ORIGIN}/api/trpc/${batch("project.list", MAX_BATCH_SIZE)}`, {
        headers: { cookie: await cookieFor(userId) },
      }),
    );
    expect(response.status).toBe(200);
    expect(((await response.json()) as unknown[]).length).toBe(MAX_BATCH_SIZE);
  });

  it("the limit is the app's own (the client's maxItems is the same constant)", () => {
    expect(APP_MAX_BATCH_SIZE).toBe(MAX_BATCH_SIZE);
  });
});

describe("integer inputs stay inside int4 (item 3)", () => {
  it("scene.update with expectedVersion 2147483648 is a BAD_REQUEST, not a 500 with the SQL (failed before the fix)", async () => {
    const userId = randomUUID();
    const caller = callerFor(userId);
    const project = await caller.project.create();
    const [scene] = await caller.generation.getProjectScenes({ projectId: project.id });
    const answer = await post(
      "scene.update",
      userId,
      json,
      JSON.stringify({ json: { sceneId: scene?.id, expectedVersion: 2_147_483_648, patch: { title: "x" } } }),
    );
    expect(answer.status, answer.text).toBe(400);
    expect(firstError(answer.body)?.data.code).toBe("BAD_REQUEST");
    expect(firstError(answer.body)?.message).toMatch(/^expectedVersion: /);
    // The procedure's own path ("scene.update") is in the error shape; nothing else may say "update".
    const body = answer.text.toLowerCase().replaceAll("scene.update", "");
    for (const leak of ["select", "update", "params"]) expect(body, answer.text).not.toContain(leak);
  });
});
