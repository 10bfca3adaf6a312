/**
 * Cross-site request forgery guard for /api/trpc (issue 12, item 6). The session cookie
 * is SameSite=Lax, and Lax is per *site*: another origin of the same site (another port
 * of the host, a sibling subdomain) gets the cookie sent along, and a plain HTML <form>
 * can POST `multipart/form-data`, which tRPC 11 accepts. So every mutation must
 *
 * - be JSON (`Content-Type: application/json`): a form cannot send that, and a cross-origin
 *   fetch that sends it must pass a CORS preflight, which this app never answers. Anything
 *   else is 415 UNSUPPORTED_MEDIA_TYPE.
 * - come from this app when a browser says where it came from: an `Origin` header must be
 *   the app's own origin, and `Sec-Fetch-Site: cross-site` or `same-site` is refused.
 *   Both are 403 FORBIDDEN. A request with neither header is not from a browser page
 *   (curl, a server, a test), which a forged request cannot be.
 *
 * GET (queries) is not checked: queries write nothing, and tRPC serves mutations only
 * over POST. The app's own client (httpBatchStreamLink) sends JSON from its own origin.
 */
import { TRPCError } from "@trpc/server";

const READ_ONLY_METHODS = new Set(["GET", "HEAD"]);

/** The error to answer a forged-looking or non-JSON mutation with, or undefined to serve it. */
export function refuseCrossSiteMutation(req: Request): TRPCError | undefined {
  if (READ_ONLY_METHODS.has(req.method)) return undefined;

  const site = req.headers.get("sec-fetch-site");
  if (site === "cross-site" || site === "same-site") {
    return new TRPCError({
      code: "FORBIDDEN",
      message: `Cross-site requests are refused: this one was sent by a page on another origin (Sec-Fetch-Site: ${site}).`,
    });
  }
  const origin = req.headers.get("origin");
  if (origin !== null && !ownOrigins(req).has(origin.toLowerCase())) {
    return new TRPCError({
      code: "FORBIDDEN",
      message: `Cross-site requests are refused: this one came from ${JSON.stringify(origin.slice(0, 200))}, not from this app.`,
    });
  }

  const contentType = req.headers.get("content-type");
  const mediaType = contentType?.split(";")[0]?.trim().toLowerCase();
  if (mediaType !== "application/json") {
    return new TRPCError({
      code: "UNSUPPORTED_MEDIA_TYPE",
      message:
        "A mutation must be sent as JSON (Content-Type: application/json); " +
        (contentType ? `this one was ${JSON.stringify(contentType.slice(0, 100))}.` : "this one had no Content-Type."),
    });
  }
  return undefined;
}

/**
 * The origins this request may come from: the URL it was received at, and the Host (or,
 * behind a proxy, X-Forwarded-Host / X-Forwarded-Proto) it was addressed to. A page cannot
 * set these headers on a cross-origin request without a preflight, so trusting them here
 * lets nothing cross-site in.
 */
function ownOrigins(req: Request): Set<string> {
  const url = new URL(req.url);
  const first = (name: string) => req.headers.get(name)?.split(",")[0]?.trim().toLowerCase() || undefined;
  const hosts = [url.host, first("host"), first("x-forwarded-host")].filter((host) => host !== undefined);
  const schemes = [url.protocol.slice(0, -1), first("x-forwarded-proto")].filter((scheme) => scheme !== undefined);
  const origins = new Set([url.origin.toLowerCase()]);
  for (const scheme of schemes) for (const host of hosts) origins.add(`${scheme}://${host}`);
  return origins;
}
