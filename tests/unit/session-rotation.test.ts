/**
 * SESSION_SECRET rotation (issue 12): with the old secret as SESSION_SECRET_PREVIOUS, a
 * cookie it signed still names its user, and the proxy re-signs it with the new secret.
 * Before the rotation support, changing SESSION_SECRET logged every user out.
 */
import { randomUUID } from "node:crypto";

import { NextRequest } from "next/server";
import { afterEach, describe, expect, it, vi } from "vitest";

const OLD = "old-secret-old-secret-old-secret-000";
const NEW = "new-secret-new-secret-new-secret-111";

/** The session module and the proxy, as a server started with these variables would load them. */
async function startedWith(variables: Record<string, string | undefined>) {
  vi.resetModules();
  for (const [name, value] of Object.entries(variables)) vi.stubEnv(name, value);
  return {
    session: await import("~/server/auth/session"),
    proxy: (await import("~/proxy")).proxy,
    api: (await import("~/app/api/trpc/[trpc]/route")).GET,
  };
}

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe("rotating SESSION_SECRET", () => {
  it("without the previous secret, a cookie signed before the rotation is no longer valid", async () => {
    const before = await startedWith({ SESSION_SECRET: OLD, SESSION_SECRET_PREVIOUS: undefined });
    const cookie = await before.session.signSession(randomUUID());
    const after = await startedWith({ SESSION_SECRET: NEW, SESSION_SECRET_PREVIOUS: undefined });
    expect(await after.session.readSession(cookie)).toBeNull();
  });

  it("with it, the old cookie keeps its user and the proxy re-signs it with the new secret", async () => {
    const userId = randomUUID();
    const before = await startedWith({ SESSION_SECRET: OLD, SESSION_SECRET_PREVIOUS: undefined });
    const oldCookie = await before.session.signSession(userId);

    const during = await startedWith({ SESSION_SECRET: NEW, SESSION_SECRET_PREVIOUS: OLD });
    expect(await during.session.verifySession(oldCookie)).toEqual({ userId, stale: true });
    const response = await during.proxy(
      new NextRequest("http://127.0.0.1:3000/", { headers: { cookie: `${during.session.SESSION_COOKIE}=${oldCookie}` } }),
    );
    const reissued = response.cookies.get(during.session.SESSION_COOKIE)?.value;
    expect(reissued).toBeDefined();
    expect(reissued).not.toBe(oldCookie);

    const afterwards = await startedWith({ SESSION_SECRET: NEW, SESSION_SECRET_PREVIOUS: undefined });
    expect(await afterwards.session.verifySession(reissued)).toEqual({ userId, stale: false });
  });

  it("an API call (which the proxy skips) re-signs it too, for the same user", async () => {
    const userId = randomUUID();
    const before = await startedWith({ SESSION_SECRET: OLD, SESSION_SECRET_PREVIOUS: undefined });
    const oldCookie = await before.session.signSession(userId);

    const during = await startedWith({ SESSION_SECRET: NEW, SESSION_SECRET_PREVIOUS: OLD });
    const response = await during.api(
      new Request("http://127.0.0.1:3000/api/trpc/no.such.procedure", {
        headers: { cookie: `${during.session.SESSION_COOKIE}=${oldCookie}` },
      }),
    );
    const reissued = response.headers.get("set-cookie")?.match(/rs_session=([^;]+)/)?.[1];
    expect(reissued).toBeDefined();
    expect(await during.session.verifySession(reissued)).toEqual({ userId, stale: false });
  });

  it("a cookie signed with the current secret is left alone", async () => {
    const { session, proxy } = await startedWith({ SESSION_SECRET: NEW, SESSION_SECRET_PREVIOUS: OLD });
    const cookie = await session.signSession(randomUUID());
    const response = await proxy(new NextRequest("http://127.0.0.1:3000/", { headers: { cookie: `${session.SESSION_COOKIE}=${cookie}` } }));
    expect(response.cookies.get(session.SESSION_COOKIE)).toBeUndefined();
  });
});
