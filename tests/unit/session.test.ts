import { randomUUID } from "node:crypto";

import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";

import { readSession, SESSION_COOKIE, sessionCookieFromHeader, signSession } from "~/server/auth/session";
import { proxy } from "~/proxy";

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
    expect(sessionCookieFromHeader(`a=1; ${SESSION_COOKIE}=abc.def; b=2`)).toBe("abc.def");
    expect(sessionCookieFromHeader("a=1")).toBeUndefined();
    expect(sessionCookieFromHeader(null)).toBeUndefined();
  });
});

describe("proxy", () => {
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
    const request = new NextRequest("http://localhost/api/trpc/project.list", {
      headers: { cookie: `${SESSION_COOKIE}=${cookie}` },
    });
    const response = await proxy(request);
    expect(response.headers.get("set-cookie")).toBeNull();
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
