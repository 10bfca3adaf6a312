import { NextResponse, type NextRequest } from "next/server";

import { isForeignWrite } from "~/server/auth/cross-site";
import { headersWithSession, sessionToIssue, setSessionCookie } from "~/server/auth/session";

/**
 * Gives every browser an anonymous user on its first page request: a new signed cookie on
 * the response, and the same cookie on the request so the page rendering right now already
 * sees its user. A cookie signed with SESSION_SECRET_PREVIOUS (a rotation) keeps its user and
 * is re-signed. API calls (/api/trpc) skip the proxy: their route issues sessions by the same
 * rules (`sessionToIssue`), without running the proxy machinery on every call
 * (docs/benchmarks.md, scenario 5). Before any of that, two requests are answered here: a path
 * that cannot be decoded (400) and a form posted from another site (303). See
 * docs/reliability.md.
 */
export async function proxy(request: NextRequest) {
  if (isUndecodable(request.nextUrl.pathname)) return malformedPath();
  // An API call comes through here only when its path has a %-escape (see `config`).
  if (request.nextUrl.pathname.startsWith("/api/trpc/")) return NextResponse.next();
  if (isForeignWrite(request)) return loadAsGet(request);
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
 */
function loadAsGet(request: NextRequest) {
  return NextResponse.redirect(request.nextUrl, 303);
}

/**
 * A path with a malformed percent-escape (`/projects/%ZZ/generate`, or bytes that are not
 * UTF-8) cannot be decoded into a route's params. Next.js 16 then answers a bare 500
 * "Internal Server Error" in production (vercel/next.js#92557), for pages and for
 * /api/trpc/<procedure> alike. It is the client's mistake: a 400 that says so.
 */
function isUndecodable(pathname: string) {
  try {
    decodeURIComponent(pathname);
    return false;
  } catch {
    return true;
  }
}

function malformedPath() {
  return new NextResponse("Bad Request: the URL's path has a malformed percent-escape.\n", {
    status: 400,
    headers: { "content-type": "text/plain; charset=utf-8" },
  });
}

export const config = {
  matcher: [
    "/((?!_next/static|_next/image|api/health|api/trpc|favicon.ico|.*\\.(?:svg|png|ico)$).*)",
    // API calls skip the proxy, except a path with a %-escape, which may be malformed.
    "/api/trpc/:path(.*%.*)",
  ],
};
