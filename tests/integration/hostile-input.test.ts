/**
 * Property-based: whatever arrives over HTTP — wrong types, missing fields, huge or
 * unicode strings, SQL and HTML injection — every procedure answers a 4xx tRPC error
 * or succeeds; never a 500. Valid hostile text is stored verbatim.
 */
import { randomUUID } from "node:crypto";

import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { GET, POST } from "~/app/api/trpc/[trpc]/route";
import { projectTitleSchema } from "~/lib/inputs";
import { SESSION_COOKIE, signSession } from "~/server/auth/session";
import { callerFor } from "../support/callers";

const hostileStrings = fc.oneof(
  fc.constantFrom(
    "'; drop table scenes; --",
    "\" or 1=1 --",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "{{constructor.constructor('alert(1)')()}}",
    "\u0000",
    "\uD800",
    "𝕳𝖊𝖑𝖑𝖔 👋🏽 مرحبا שלום",
    "../../etc/passwd",
    "null",
    "x".repeat(5000),
  ),
  fc.string({ unit: "grapheme", maxLength: 300 }),
  fc.string({ unit: "binary", maxLength: 50 }),
);

const hostileValue = fc.oneof(
  hostileStrings,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.uuid(),
  fc.array(hostileStrings, { maxLength: 3 }),
  fc.dictionary(hostileStrings, hostileStrings, { maxKeys: 3 }),
);

/** An input object: sometimes well-formed fields, sometimes garbage, sometimes missing. */
const hostileInput = (fields: Record<string, fc.Arbitrary<unknown>>) =>
  fc.oneof(
    fc.record(
      Object.fromEntries(Object.entries(fields).map(([key, valid]) => [key, fc.oneof(valid, hostileValue)])),
      { requiredKeys: [] },
    ),
    hostileValue,
  );

const procedures: Record<string, { type: "query" | "mutation"; input: fc.Arbitrary<unknown> }> = {
  "project.list": { type: "query", input: fc.oneof(fc.constant(undefined), hostileValue) },
  "project.create": { type: "mutation", input: hostileInput({ title: hostileStrings }) },
  "project.get": { type: "query", input: hostileInput({ projectId: fc.uuid() }) },
  "generation.getChatMessages": { type: "query", input: hostileInput({ projectId: fc.uuid() }) },
  "generation.getProjectScenes": { type: "query", input: hostileInput({ projectId: fc.uuid() }) },
  "generation.generateScene": {
    type: "mutation",
    input: hostileInput({ projectId: fc.uuid(), prompt: hostileStrings, requestId: fc.uuid() }),
  },
  "scene.update": {
    type: "mutation",
    input: hostileInput({
      sceneId: fc.uuid(),
      expectedVersion: fc.integer(),
      patch: hostileInput({ title: hostileStrings, backgroundColor: hostileStrings, durationFrames: fc.integer() }),
    }),
  },
  "lab.generateScene": {
    type: "mutation",
    input: hostileInput({
      projectId: fc.uuid(),
      prompt: hostileStrings,
      strategy: fc.constantFrom("naive", "locked", "drop table"),
      latencyMs: fc.integer(),
    }),
  },
};

async function callOverHttp(path: string, type: "query" | "mutation", input: unknown, cookie: string) {
  const payload = input === undefined ? {} : { json: input };
  const request =
    type === "query"
      ? new Request(`http://localhost/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify(payload))}`, {
          headers: { cookie },
        })
      : new Request(`http://localhost/api/trpc/${path}`, {
          method: "POST",
          headers: { cookie, "content-type": "application/json" },
          body: JSON.stringify(payload),
        });
  const response = await (type === "query" ? GET(request) : POST(request));
  return response.status;
}

describe("hostile input over HTTP", () => {
  it.each(Object.entries(procedures))("%s never answers 5xx", async (path, { type, input }) => {
    const cookie = `${SESSION_COOKIE}=${await signSession(randomUUID())}`;
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(input, async (value) => {
        const status = await callOverHttp(path, type, value, cookie);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        expect(status, `input ${JSON.stringify(value)?.slice(0, 200)}`).toBeLessThan(500);
      }),
      { numRuns: 120 },
    );
    console.log(`[hostile] ${path}: ${[...statuses].map(([status, count]) => `${status}×${count}`).join(" ")}`);
  });

  it("malformed bodies and query strings get 4xx", async () => {
    const cookie = `${SESSION_COOKIE}=${await signSession(randomUUID())}`;
    const bodies = ["{", '{"json":', "\u0000", "x".repeat(1000), '{"json":{"title":"\\u0000"}}', '{"json":{"title":"\\ud800"}}'];
    for (const body of bodies) {
      const response = await POST(
        new Request("http://localhost/api/trpc/project.create", {
          method: "POST",
          headers: { cookie, "content-type": "application/json" },
          body,
        }),
      );
      expect(response.status, body.slice(0, 20)).toBeGreaterThanOrEqual(400);
      expect(response.status, body.slice(0, 20)).toBeLessThan(500);
    }
    const response = await GET(new Request("http://localhost/api/trpc/project.get?input=%7Bnot-json", { headers: { cookie } }));
    expect(response.status).toBe(400);
  });
});

describe("hostile but valid text", () => {
  it("is stored and returned verbatim (trimmed)", async () => {
    const caller = callerFor();
    await fc.assert(
      fc.asyncProperty(
        hostileStrings.filter((text) => projectTitleSchema.safeParse(text).success),
        async (title) => {
          const project = await caller.project.create({ title });
          expect((await caller.project.get({ projectId: project.id })).title).toBe(title.trim());
        },
      ),
      { numRuns: 60 },
    );
  });

  it("keeps injection strings as plain prompt text", async () => {
    const caller = callerFor();
    const project = await caller.project.create();
    const prompt = `<img src=x onerror=alert(1)> '; drop table scenes; -- "quoted"`;
    await caller.generation.generateScene({ projectId: project.id, prompt, requestId: randomUUID() });
    const [userMessage] = await caller.generation.getChatMessages({ projectId: project.id });
    expect(userMessage?.content).toBe(prompt);
  });
});
