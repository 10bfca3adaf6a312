import { randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import { GET, POST } from "~/app/api/trpc/[trpc]/route";
import { SESSION_COOKIE, signSession } from "~/server/auth/session";

interface TRPCResponseBody {
  result?: { data: { json: { id: string; title: string } } };
  error?: { json: { message: string; data: { code: string; zodError: { fieldErrors: Record<string, string[]> } | null } } };
}

/** Calls the real route handler with a real Request, as Next.js would. */
async function call(path: string, init: RequestInit & { userId?: string | null } = {}) {
  const headers = new Headers(init.headers);
  if (init.method === "POST") headers.set("content-type", "application/json");
  if (init.userId !== null) {
    headers.set("cookie", `${SESSION_COOKIE}=${await signSession(init.userId ?? randomUUID())}`);
  }
  const request = new Request(`http://localhost/api/trpc/${path}`, { ...init, headers });
  const response = await (init.method === "POST" ? POST(request) : GET(request));
  return { status: response.status, body: (await response.json()) as TRPCResponseBody };
}

const query = (input: unknown) => `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;

describe("/api/trpc over HTTP", () => {
  it("creates and reads a project for the cookie's user", async () => {
    const userId = randomUUID();
    const created = await call("project.create", {
      method: "POST",
      userId,
      body: JSON.stringify({ json: { title: "Over HTTP" } }),
    });
    expect(created.status).toBe(200);
    const projectId = created.body.result?.data.json.id;

    const read = await call(`project.get${query({ projectId })}`, { userId });
    expect(read.status).toBe(200);
    expect(read.body.result?.data.json.title).toBe("Over HTTP");

    const other = await call(`project.get${query({ projectId })}`);
    expect(other.status).toBe(404);
    expect(other.body.error?.json.data.code).toBe("NOT_FOUND");
  });

  it("answers 400 with the zod issues for bad input", async () => {
    const { status, body } = await call(`project.get${query({ projectId: "nope" })}`);
    expect(status).toBe(400);
    expect(body.error?.json.data.code).toBe("BAD_REQUEST");
    expect(body.error?.json.message).toBe("projectId: Invalid UUID");
    expect(body.error?.json.data.zodError?.fieldErrors.projectId).toEqual([expect.stringMatching(/uuid/i)]);
  });

  it("answers 400, not 500, for a body that is not JSON", async () => {
    const { status, body } = await call("project.create", { method: "POST", body: "{not json" });
    expect(status).toBe(400);
    expect(["BAD_REQUEST", "PARSE_ERROR"]).toContain(body.error?.json.data.code);
  });

  it("answers 413 for a body over the limit, without parsing it", async () => {
    const { status, body } = await call("project.create", {
      method: "POST",
      body: JSON.stringify({ json: { title: "x".repeat(70 * 1024) } }),
    });
    expect(status).toBe(413);
    expect(body.error?.json.data.code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("answers 401 without a session cookie", async () => {
    const { status } = await call("project.list", { userId: null });
    expect(status).toBe(401);
  });

  it("answers 404 for an unknown procedure", async () => {
    const { status } = await call("project.destroyEverything");
    expect(status).toBe(404);
  });
});
