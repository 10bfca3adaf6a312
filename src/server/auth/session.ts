/**
 * Anonymous sessions: a signed, httpOnly cookie naming a user id. The proxy
 * (src/proxy.ts) mints one on a browser's first request; the tRPC context reads it.
 * HMAC-SHA256 over the user id with Web Crypto, compared in constant time.
 */
import { getSessionSecret } from "./secret";

export const SESSION_COOKIE = "rs_session";
export const SESSION_MAX_AGE_SECONDS = 60 * 60 * 24 * 365;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const encoder = new TextEncoder();

async function signingKey() {
  return crypto.subtle.importKey(
    "raw",
    encoder.encode(getSessionSecret()),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign", "verify"],
  );
}

export async function signSession(userId: string): Promise<string> {
  const signature = await crypto.subtle.sign("HMAC", await signingKey(), encoder.encode(userId));
  return `${userId}.${Buffer.from(signature).toString("base64url")}`;
}

/** The user id a cookie names, or null when it is missing, malformed or tampered with. */
export async function readSession(cookie: string | undefined | null): Promise<string | null> {
  if (!cookie) return null;
  const [userId, signature, ...rest] = cookie.split(".");
  if (!userId || !signature || rest.length > 0 || !UUID.test(userId)) return null;
  const valid = await crypto.subtle.verify(
    "HMAC",
    await signingKey(),
    Buffer.from(signature, "base64url"),
    encoder.encode(userId),
  );
  return valid ? userId : null;
}

export function sessionCookieFromHeader(cookieHeader: string | null): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(";")) {
    const [name, ...value] = part.trim().split("=");
    if (name === SESSION_COOKIE) return decodeURIComponent(value.join("="));
  }
  return undefined;
}
