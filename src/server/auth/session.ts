/**
 * Anonymous sessions: a signed, httpOnly cookie naming a user id. A browser's first request
 * gets one (`sessionToIssue`): a page's from the proxy (src/proxy.ts), an API call's from the
 * tRPC route (src/app/api/trpc/[trpc]/route.ts), which the proxy skips; the tRPC context
 * reads it. HMAC-SHA256 over the user id with node:crypto, compared in constant time. Every
 * request verifies twice (the proxy or the route, then the context), so it is the
 * synchronous HMAC: Web Crypto's asynchronous one took ~125 µs a verification with the key
 * imported each time and ~54 µs with it cached, `createHmac` ~12 µs (measured on this 2-core
 * machine; see docs/benchmarks.md, "Where a request's time goes"). The proxy runs on
 * Node.js, like the app.
 */
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";

import type { NextResponse } from "next/server";

import { isForeignWrite } from "./cross-site";
import { getSessionSecret, getSessionSecrets } from "./secret";

export const SESSION_COOKIE = "rs_session";
export const SESSION_MAX_AGE_SECONDS = 60 * 60 * 24 * 365;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const signatureOf = (secret: string, userId: string) => createHmac("sha256", secret).update(userId).digest();

export async function signSession(userId: string): Promise<string> {
  return `${userId}.${signatureOf(getSessionSecret(), userId).toString("base64url")}`;
}

export interface VerifiedSession {
  userId: string;
  /** Signed with SESSION_SECRET_PREVIOUS: valid, and to be re-signed with the current secret. */
  stale: boolean;
}

/** The session a cookie names, or null when it is missing, malformed or tampered with. */
export async function verifySession(cookie: string | undefined | null): Promise<VerifiedSession | null> {
  if (!cookie) return null;
  const [userId, signature, ...rest] = cookie.split(".");
  if (!userId || !signature || rest.length > 0 || !UUID.test(userId)) return null;
  const given = Buffer.from(signature, "base64url");
  for (const [index, secret] of getSessionSecrets().entries()) {
    const expected = signatureOf(secret, userId);
    if (given.length === expected.length && timingSafeEqual(given, expected)) return { userId, stale: index > 0 };
  }
  return null;
}

/** The user id a cookie names, or null when it is missing, malformed or tampered with. */
export async function readSession(cookie: string | undefined | null): Promise<string | null> {
  return (await verifySession(cookie))?.userId ?? null;
}

/**
 * Every value named rs_session in a Cookie header, in the order sent, each percent-decoded.
 * A browser can send the name more than once (cookies set for different paths or domains,
 * or injected by a sibling subdomain); a value with a malformed %-escape is skipped, as it
 * cannot be a valid session. Surrounding double quotes (RFC 6265 allows them) are removed.
 */
export function sessionCookiesFromHeader(cookieHeader: string | null | undefined): string[] {
  const values: string[] = [];
  for (const pair of (cookieHeader ?? "").split(";")) {
    const separator = pair.indexOf("=");
    if (separator === -1 || pair.slice(0, separator).trim() !== SESSION_COOKIE) continue;
    let value = pair.slice(separator + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      values.push(decodeURIComponent(value));
    } catch {
      // URIError: not a cookie we could have set.
    }
  }
  return values;
}

/**
 * THE session reader, used by the proxy (src/proxy.ts) and the tRPC context alike: the
 * user id of the first rs_session value that verifies, or null. It reads the raw Cookie
 * header, never Next's `request.cookies`, which keeps only the last decodable value of a
 * name and would disagree with this one when a name repeats (issue 12, item 4).
 */
export async function sessionUserId(source: Headers | string | null | undefined): Promise<string | null> {
  return (await verifiedSession(source))?.userId ?? null;
}

/** The same, saying whether the session was signed with the previous secret (the proxy re-signs it). */
export async function verifiedSession(source: Headers | string | null | undefined): Promise<VerifiedSession | null> {
  const header = source instanceof Headers ? source.get("cookie") : source;
  for (const value of sessionCookiesFromHeader(header)) {
    const session = await verifySession(value);
    if (session) return session;
  }
  return null;
}

/**
 * The Cookie header with every rs_session pair removed and `rs_session=<cookie>` added, the
 * other cookies left byte for byte: what the proxy forwards after minting a session, so
 * the page or procedure sees exactly the new one.
 */
export function withSessionCookie(cookieHeader: string | null | undefined, cookie: string): string {
  const others = (cookieHeader ?? "").split(";").filter((pair) => {
    const separator = pair.indexOf("=");
    const name = (separator === -1 ? pair : pair.slice(0, separator)).trim();
    return name !== "" && name !== SESSION_COOKIE;
  });
  return [...others.map((pair) => pair.trim()), `${SESSION_COOKIE}=${cookie}`].join("; ");
}

/**
 * The session cookie a request must leave with, or undefined when its own verifies with the
 * current secret: the same user re-signed when SESSION_SECRET_PREVIOUS signed it (a
 * rotation), a new user when no rs_session value verifies. Decided with the context's own
 * reader (`verifiedSession`), so the two never disagree.
 *
 * Never a new user for a write from another site's page (a form auto-submitted by an
 * attacker): SameSite=Lax leaves the cookie out of it, so the browser may well have one, and
 * a new cookie on the answer would replace it — and with it every project of that
 * anonymous user.
 */
export async function sessionToIssue(request: Request): Promise<string | undefined> {
  const session = await verifiedSession(request.headers);
  if (session && !session.stale) return undefined;
  if (!session && isForeignWrite(request)) return undefined;
  return signSession(session?.userId ?? randomUUID());
}

/** The request's headers as the page or procedure must read them: exactly the issued session. */
export function headersWithSession(headers: Headers, cookie: string): Headers {
  const forwarded = new Headers(headers);
  forwarded.set("cookie", withSessionCookie(headers.get("cookie"), cookie));
  return forwarded;
}

/** Sets an issued session on the response: httpOnly, SameSite=Lax, Secure over https, for a year. */
export function setSessionCookie(response: NextResponse, cookie: string, requestUrl: string) {
  response.cookies.set(SESSION_COOKIE, cookie, {
    httpOnly: true,
    sameSite: "lax",
    secure: new URL(requestUrl).protocol === "https:",
    path: "/",
    maxAge: SESSION_MAX_AGE_SECONDS,
  });
}
