import { NextResponse, type NextRequest } from "next/server";

import { foreignOriginOf, isReadOnly } from "~/server/auth/cross-site";
import { headersWithSession, sessionToIssue, setSessionCookie } from "~/server/auth/session";

/**
 * Gives every browser an anonymous user on its first page request: a new signed cookie on
 * the response, and the same cookie on the request so the page rendering right now already
 * sees its user. A cookie signed with SESSION_SECRET_PREVIOUS (a rotation) keeps its user and
 * is re-signed. API calls (/api/trpc) skip the proxy: their route issues sessions by the same
 * rules (`sessionToIssue`), without running the proxy machinery on every call
 * (docs/benchmarks.md, scenario 5).
 */
export async function proxy(request: NextRequest) {
  if (!isReadOnly(request) && foreignOriginOf(request)) return loadAsGet(request);
  const cookie = await sessionToIssue(request);
  if (!cookie) return NextResponse.next();
  const response = NextResponse.next({ request: { headers: headersWithSession(request.headers, cookie) } });
  setSessionCookie(response, cookie, request.url);
  return response;
}

/**
 * A form on another site that posts to one of our pages arrives without the session cookie
 * (SameSite=Lax leaves it out), so the page would render for no user and fail. 303 sends the
 * browser to the same page as a GET, a top-level navigation that carries the cookie: the
 * visitor lands there as themselves, the posted body is dropped, and no new session replaces
 * theirs. The app's own writes (tRPC calls, server actions) are same-origin and pass.
 * See docs/reliability.md ("A form on another site").
 */
function loadAsGet(request: NextRequest) {
  return NextResponse.redirect(request.nextUrl, 303);
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|api/health|api/trpc|favicon.ico|.*\\.(?:svg|png|ico)$).*)"],
};
