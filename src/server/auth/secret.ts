/**
 * The key that signs session cookies. Production must set SESSION_SECRET (the server
 * refuses to start without it, see src/instrumentation.ts). Elsewhere we generate one
 * and keep it in `.data/` so dev sessions, and the projects they own, survive restarts.
 * Rotation: set the new SESSION_SECRET and the old one as SESSION_SECRET_PREVIOUS; cookies
 * signed with the old one keep working and are re-signed on their next request (see
 * docs/reliability.md); drop SESSION_SECRET_PREVIOUS once the active users have been seen.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

import { env } from "~/env";
import { processSingleton } from "~/server/process-singleton";

export const MISSING_SECRET_MESSAGE =
  "SESSION_SECRET is not set. In production it is required: set it to at least 32 random " +
  "characters, e.g. `export SESSION_SECRET=$(openssl rand -base64 32)`.";

/**
 * The secrets a cookie may be signed with: the current one (which signs) first, then
 * SESSION_SECRET_PREVIOUS during a rotation (which only verifies).
 */
export function getSessionSecrets(): string[] {
  return [getSessionSecret(), ...(env.SESSION_SECRET_PREVIOUS ? [env.SESSION_SECRET_PREVIOUS] : [])];
}

export function getSessionSecret(): string {
  if (env.SESSION_SECRET) return env.SESSION_SECRET;
  if (env.NODE_ENV === "production") throw new Error(MISSING_SECRET_MESSAGE);
  return processSingleton("race-safe.dev-session-secret", loadOrCreateDevSecret);
}

function loadOrCreateDevSecret() {
  const file = path.join(process.cwd(), ".data", "dev-session-secret");
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  }
  console.warn(
    `[session] SESSION_SECRET is not set; using the generated development secret in ${file}. ` +
      "Set SESSION_SECRET in production.",
  );
  return readFileSync(file, "utf8").trim();
}
