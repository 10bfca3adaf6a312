import { randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import { GET, POST } from "~/app/api/trpc/[trpc]/route";
import { readSession, SESSION_COOKIE, signSession } from "~/server/auth/session";

interface TRPCResponseBody {
  result?: { data: { json: { id: string; title: string } } };
  error?: { json: { message: string; data: { code: string; zodError: { fieldErrors: Record<string, string[]> } | null } } };
}

/** Calls the real route handler with a real Request, as Next.js would. */
async function call(path: string, init: RequestInit & { userId?: string } = {}) {
  const headers = new Headers(init.headers);
  if (init.method === "POST") headers.set("content-type", "application/json");
  headers.set("cookie", `${SESSION_COOKIE}=${await signSession(init.userId ?? randomUUID())}`);
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

  it("answers 404 for an unknown procedure", async () => {
    const { status } = await call("project.destroyEverything");
    expect(status).toBe(404);
  });
});

/** The rs_session value a response sets, if any. */
const issuedSession = (response: Response) =>
  response.headers.get("set-cookie")?.match(new RegExp(`${SESSION_COOKIE}=([^;]+)`))?.[1];

/**
 * The proxy skips /api/trpc (src/proxy.ts): a call without a valid session gets one from the
 * route itself. Before, with the proxy's matcher leaving /api/trpc out and nothing in its
 * place, such a call answered 401.
 */
describe("sessions on API calls", () => {
  const get = (path: string, cookie?: string) =>
    GET(new Request(`http://localhost/api/trpc/${path}`, cookie === undefined ? {} : { headers: { cookie } }));

  it("a call without a session cookie is a new user: it is served and gets its signed, httpOnly cookie", async () => {
    const response = await get("project.list");
    expect(response.status).toBe(200);
    const setCookie = response.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).toMatch(/Path=\//);
    const userId = await readSession(issuedSession(response));
    expect(userId).toMatch(/^[0-9a-f-]{36}$/);

    // The call itself already ran as that user: what it creates, the cookie's next call reads.
    const created = await POST(
      new Request("http://localhost/api/trpc/project.create", {
        method: "POST",
        headers: { "content-type": "application/json", cookie: `${SESSION_COOKIE}=${issuedSession(response)}` },
        body: JSON.stringify({ json: { title: "First call" } }),
      }),
    );
    expect(created.status).toBe(200);
    expect(issuedSession(created)).toBeUndefined();
    const listed = (await (await get("project.list", `${SESSION_COOKIE}=${issuedSession(response)}`)).json()) as {
      result: { data: { json: { title: string }[] } };
    };
    expect(listed.result.data.json.map((project) => project.title)).toContain("First call");
  });

  it("a valid session is left alone, also after garbage and a forged value", async () => {
    const cookie = await signSession(randomUUID());
    const response = await get("project.list", `${SESSION_COOKIE}=garbage; ${SESSION_COOKIE}=${randomUUID()}.${"A".repeat(43)}; ${SESSION_COOKIE}=${cookie}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("set-cookie")).toBeNull();
  });

  it.each([
    ["a form, Sec-Fetch-Site: cross-site", "application/x-www-form-urlencoded", { "sec-fetch-site": "cross-site" }, 415],
    ["a form, an Origin of another site", "application/x-www-form-urlencoded", { origin: "https://attacker.example" }, 415],
    ["JSON, Sec-Fetch-Site: cross-site", "application/json", { "sec-fetch-site": "cross-site" }, 403],
    ["JSON, an Origin of another site", "application/json", { origin: "https://attacker.example" }, 403],
  ])(
    "a cross-site POST without the cookie (%s) is refused and issues no session, so it cannot replace the browser's own (failed before the fix: a new cookie)",
    async (_name, contentType, from, status) => {
      const response = await POST(
        new Request("http://localhost/api/trpc/project.create", {
          method: "POST",
          headers: { "content-type": contentType, ...from },
          body: contentType === "application/json" ? JSON.stringify({ json: { title: "Forged" } }) : "title=Forged",
        }),
      );
      expect(response.status).toBe(status);
      expect(response.headers.get("set-cookie")).toBeNull();
    },
  );

  it("a write from no page at all (curl, a server) without a cookie still gets a new user", async () => {
    const response = await POST(
      new Request("http://localhost/api/trpc/project.create", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ json: { title: "From a script" } }),
      }),
    );
    expect(response.status).toBe(200);
    expect(await readSession(issuedSession(response))).not.toBeNull();
  });

  it("a forged session is replaced by a new user, even on a call that fails", async () => {
    const forgedUser = randomUUID();
    const response = await get("project.destroyEverything", `${SESSION_COOKIE}=${forgedUser}.${"A".repeat(43)}`);
    expect(response.status).toBe(404);
    const userId = await readSession(issuedSession(response));
    expect(userId).not.toBeNull();
    expect(userId).not.toBe(forgedUser);
  });
});
