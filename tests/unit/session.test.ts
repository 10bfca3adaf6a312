import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";

import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";

import { createTRPCContext } from "~/server/api/trpc";
import {
  readSession,
  SESSION_COOKIE,
  sessionCookiesFromHeader,
  sessionUserId,
  signSession,
  withSessionCookie,
} from "~/server/auth/session";
import { config, proxy } from "~/proxy";

/**
 * Next.js's own matcher check. Its module reads the AsyncLocalStorage a Next.js server puts on
 * globalThis, so it is given one and imported only when needed.
 */
async function matcherTester() {
  (globalThis as { AsyncLocalStorage?: unknown }).AsyncLocalStorage ??= AsyncLocalStorage;
  return (await import("next/experimental/testing/server")).unstable_doesMiddlewareMatch;
}

describe("session cookie", () => {
  it("round-trips a signed user id", async () => {
    const userId = randomUUID();
    expect(await readSession(await signSession(userId))).toBe(userId);
  });

  it.each([
    ["a tampered user id", async () => (await signSession(randomUUID())).replace(/^./, (c) => (c === "a" ? "b" : "a"))],
    ["a tampered signature", async () => `${(await signSession(randomUUID())).slice(0, -2)}AA`],
    ["a forged signature", async () => `${randomUUID()}.${Buffer.from("forged").toString("base64url")}`],
    ["no signature", async () => randomUUID()],
    ["garbage", async () => "hello.world.again"],
    ["an empty value", async () => ""],
  ])("rejects %s", async (_name, makeCookie) => {
    expect(await readSession(await makeCookie())).toBeNull();
  });

  it("reads the session cookie out of a Cookie header", () => {
    expect(sessionCookiesFromHeader(`a=1; ${SESSION_COOKIE}=abc.def; b=2`)).toEqual(["abc.def"]);
    expect(sessionCookiesFromHeader("a=1")).toEqual([]);
    expect(sessionCookiesFromHeader(null)).toEqual([]);
  });
});

/**
 * Issue 12, item 4: one cookie parser. Before the fix the proxy read Next's
 * `request.cookies` (the LAST decodable value of a name) and the tRPC context read the
 * FIRST value with a bare decodeURIComponent, so `rs_session=%E0%A4%A; rs_session=<valid>`
 * threw "URI malformed" (500) and `rs_session=garbage; rs_session=<valid>` was 401 on every
 * call while the proxy, seeing the valid one, never minted a new cookie. The tests marked
 * "(failed before the fix)" fail on that code.
 */
describe("one session cookie parser for the proxy and the tRPC context", () => {
  const header = (...values: string[]) => values.map((value) => `${SESSION_COOKIE}=${value}`).join("; ");

  it("returns every value named rs_session, in order, decoded; a malformed %-escape is skipped", () => {
    expect(sessionCookiesFromHeader(`a=1; ${SESSION_COOKIE}=one; b=%E0%A4%A; ${SESSION_COOKIE}=two`)).toEqual([
      "one",
      "two",
    ]);
    expect(sessionCookiesFromHeader(header("%E0%A4%A", "a%2Eb"))).toEqual(["a.b"]);
    expect(sessionCookiesFromHeader(`${SESSION_COOKIE}="quoted.value"`)).toEqual(["quoted.value"]);
    expect(sessionCookiesFromHeader(`  ${SESSION_COOKIE} = spaced ;x=1`)).toEqual(["spaced"]);
    expect(sessionCookiesFromHeader(`x${SESSION_COOKIE}=no; ${SESSION_COOKIE}x=no; ${SESSION_COOKIE}`)).toEqual([]);
    expect(sessionCookiesFromHeader(`${SESSION_COOKIE}=a=b`)).toEqual(["a=b"]);
  });

  it("the first value that verifies wins, whatever comes before or after it", async () => {
    const [first, second] = [randomUUID(), randomUUID()];
    const [a, b] = [await signSession(first), await signSession(second)];
    expect(await sessionUserId(header("%E0%A4%A", a))).toBe(first);
    expect(await sessionUserId(header("garbage", a))).toBe(first);
    expect(await sessionUserId(header(a, "garbage"))).toBe(first);
    expect(await sessionUserId(header(`${first}.${"A".repeat(43)}`, b, a))).toBe(second);
    expect(await sessionUserId(header(a, b))).toBe(first);
    expect(await sessionUserId(new Headers({ cookie: header("garbage", b) }))).toBe(second);
    expect(await sessionUserId(header("garbage", "%E0%A4%A"))).toBeNull();
    expect(await sessionUserId(null)).toBeNull();
    expect(await sessionUserId(new Headers())).toBeNull();
  });

  it("rewrites a Cookie header to hold exactly one rs_session, keeping the other cookies as they were", () => {
    expect(withSessionCookie(`a=%E0%A4%A; ${SESSION_COOKIE}=x; b=2; ${SESSION_COOKIE}=y`, "new.value")).toBe(
      `a=%E0%A4%A; b=2; ${SESSION_COOKIE}=new.value`,
    );
    expect(withSessionCookie(null, "new.value")).toBe(`${SESSION_COOKIE}=new.value`);
  });

  it.each([
    ["a malformed %-escape before a valid cookie (failed before the fix: 500 URI malformed)", "%E0%A4%A"],
    ["garbage before a valid cookie (failed before the fix: 401, no new cookie)", "garbage"],
  ])("%s: the proxy and the tRPC context both see the valid user", async (_name, bad) => {
    const userId = randomUUID();
    const cookie = header(bad, await signSession(userId));

    const response = await proxy(new NextRequest("http://localhost/projects", { headers: { cookie } }));
    expect(response.headers.get("set-cookie")).toBeNull();
    const context = await createTRPCContext({ headers: new Headers({ cookie }) });
    expect(context.userId).toBe(userId);
  });

  it.each([
    ["garbage only", "garbage"],
    ["a malformed %-escape only", "%E0%A4%A"],
    ["a forged signature", `${randomUUID()}.${"A".repeat(43)}`],
  ])("%s: the proxy mints a new user and the procedure sees exactly the new cookie", async (_name, bad) => {
    const response = await proxy(
      new NextRequest("http://localhost/projects", { headers: { cookie: `x=1; ${header(bad, bad)}` } }),
    );
    const minted = response.headers.get("set-cookie")?.match(new RegExp(`${SESSION_COOKIE}=([^;]+)`))?.[1];
    const userId = await readSession(minted);
    expect(userId).not.toBeNull();

    // What the route handler will see: the request headers the proxy overrode.
    const forwarded = response.headers.get("x-middleware-request-cookie");
    expect(forwarded).toBe(`x=1; ${SESSION_COOKIE}=${minted}`);
    const context = await createTRPCContext({ headers: new Headers({ cookie: forwarded ?? "" }) });
    expect(context.userId).toBe(userId);
  });
});

describe("proxy", () => {
  it.each([
    ["/", true],
    ["/projects/0b6c5f1e-4f7a-4c59-9a4e-3f0d2a1b7c9d/generate", true],
    ["/lab", true],
    ["/api/trpc/project.list", false],
    ["/api/trpc/project.get,project.list?batch=1", false],
    ["/api/health", false],
    ["/api/health/live", false],
    ["/api/trpc/project.get%ZZ", true],
    ["/api/trpc/project.get%2Cproject.list?batch=1", true],
  ])("runs for %s: %s (API calls get their session in the tRPC route; one with a %-escape is checked here)", async (url, runs) => {
    expect((await matcherTester())({ config, url })).toBe(runs);
  });

  it.each([
    "/projects/%ZZ/generate",
    "/projects/%E0%A4%A/generate",
    "/lab/projects/%",
    "/api/trpc/project.get%ZZ",
  ])("answers a path it cannot decode, %s, with a 400 that says so (Next.js alone: a bare 500)", async (path) => {
    const response = await proxy(new NextRequest(`http://localhost${path}`));
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/malformed percent-escape/);
    expect(response.headers.get("set-cookie")).toBeNull();
  });

  it("leaves an API call with a well-formed %-escape to the tRPC route, which issues its session", async () => {
    const response = await proxy(new NextRequest("http://localhost/api/trpc/project.get%2Cproject.list?batch=1"));
    expect(response.headers.get("x-middleware-next")).toBe("1");
    expect(response.headers.get("set-cookie")).toBeNull();
  });

  const sessionFrom = (setCookie: string | null) =>
    setCookie?.match(new RegExp(`${SESSION_COOKIE}=([^;]+)`))?.[1];

  it("gives a first request a new signed, httpOnly, SameSite=Lax cookie, also on the request", async () => {
    const response = await proxy(new NextRequest("http://localhost/"));

    const setCookie = response.headers.get("set-cookie");
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).toMatch(/Path=\//);
    const value = sessionFrom(setCookie);
    expect(await readSession(value)).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get("x-middleware-request-cookie")).toContain(value);
  });

  it("leaves a valid session alone", async () => {
    const cookie = await signSession(randomUUID());
    const request = new NextRequest("http://localhost/projects", {
      headers: { cookie: `${SESSION_COOKIE}=${cookie}` },
    });
    const response = await proxy(request);
    expect(response.headers.get("set-cookie")).toBeNull();
  });

  it.each([
    ["Sec-Fetch-Site: cross-site", { "sec-fetch-site": "cross-site" }],
    ["Sec-Fetch-Site: same-site", { "sec-fetch-site": "same-site" }],
    ["a foreign Origin", { origin: "http://attacker.example" }],
  ])(
    "sends a POST to a page from another origin (%s) to the same page as a GET, with no new user (before: the page rendered for no user and failed with a 500)",
    async (_name, headers) => {
      const response = await proxy(
        new NextRequest("http://localhost/projects/1/generate?tab=chat", { method: "POST", headers }),
      );
      expect(response.status).toBe(303);
      expect(response.headers.get("location")).toBe("http://localhost/projects/1/generate?tab=chat");
      expect(response.headers.get("set-cookie")).toBeNull();
      expect(response.headers.get("x-middleware-request-cookie")).toBeNull();
    },
  );

  it("lets the app's own POSTs to a page through (a server action is same-origin)", async () => {
    const cookie = await signSession(randomUUID());
    const response = await proxy(
      new NextRequest("http://localhost/", {
        method: "POST",
        headers: { cookie: `${SESSION_COOKIE}=${cookie}`, "sec-fetch-site": "same-origin", origin: "http://localhost" },
      }),
    );
    expect(response.headers.get("x-middleware-next")).toBe("1");
    expect(response.headers.get("location")).toBeNull();
  });

  it("still gives one to a cross-site link (a GET navigation), which a browser with a cookie sends it on", async () => {
    const response = await proxy(new NextRequest("http://localhost/", { headers: { "sec-fetch-site": "cross-site" } }));
    expect(await readSession(sessionFrom(response.headers.get("set-cookie")))).not.toBeNull();
  });

  it("replaces a tampered session with a new user", async () => {
    const original = randomUUID();
    const forged = `${original}.${Buffer.from("x".repeat(32)).toString("base64url")}`;
    const response = await proxy(
      new NextRequest("http://localhost/", { headers: { cookie: `${SESSION_COOKIE}=${forged}` } }),
    );
    const userId = await readSession(sessionFrom(response.headers.get("set-cookie")));
    expect(userId).not.toBeNull();
    expect(userId).not.toBe(original);
  });
});
