import { NextResponse, type NextRequest } from "next/server";

import {
  SESSION_COOKIE,
  SESSION_MAX_AGE_SECONDS,
  signSession,
  verifiedSession,
  withSessionCookie,
} from "~/server/auth/session";

/**
 * Gives every browser an anonymous user on its first request, page or API: a new
 * signed cookie on the response, and the same cookie on the request so the page or
 * procedure rendering right now already sees its user.
 *
 * It decides with the tRPC context's own reader (`sessionUserId`, the first rs_session
 * value that verifies), so the two never disagree; when none verifies, the forwarded
 * Cookie header holds exactly the new session and no stale rs_session value. A cookie
 * signed with SESSION_SECRET_PREVIOUS (a rotation) keeps its user and is re-signed.
 */
export async function proxy(request: NextRequest) {
  const session = await verifiedSession(request.headers);
  if (session && !session.stale) return NextResponse.next();

  // No valid session: a new user. One signed with the previous secret: the same user, re-signed.
  const cookie = await signSession(session?.userId ?? crypto.randomUUID());
  const headers = new Headers(request.headers);
  headers.set("cookie", withSessionCookie(request.headers.get("cookie"), cookie));
  const response = NextResponse.next({ request: { headers } });
  response.cookies.set(SESSION_COOKIE, cookie, {
    httpOnly: true,
    sameSite: "lax",
    secure: request.nextUrl.protocol === "https:",
    path: "/",
    maxAge: SESSION_MAX_AGE_SECONDS,
  });
  return response;
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|api/health|favicon.ico|.*\\.(?:svg|png|ico)$).*)"],
};
