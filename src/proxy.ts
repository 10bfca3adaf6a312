import { NextResponse, type NextRequest } from "next/server";

import { readSession, SESSION_COOKIE, SESSION_MAX_AGE_SECONDS, signSession } from "~/server/auth/session";

/**
 * Gives every browser an anonymous user on its first request, page or API: a new
 * signed cookie on the response, and the same cookie on the request so the page or
 * procedure rendering right now already sees its user.
 */
export async function proxy(request: NextRequest) {
  if (await readSession(request.cookies.get(SESSION_COOKIE)?.value)) return NextResponse.next();

  const cookie = await signSession(crypto.randomUUID());
  request.cookies.set(SESSION_COOKIE, cookie);
  const response = NextResponse.next({ request: { headers: request.headers } });
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
