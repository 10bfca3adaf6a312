import { NextResponse, type NextRequest } from "next/server";

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
  const cookie = await sessionToIssue(request);
  if (!cookie) return NextResponse.next();
  const response = NextResponse.next({ request: { headers: headersWithSession(request.headers, cookie) } });
  setSessionCookie(response, cookie, request.url);
  return response;
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|api/health|api/trpc|favicon.ico|.*\\.(?:svg|png|ico)$).*)"],
};
