/**
 * Where a write came from, as far as a browser says: used by the API's CSRF guard
 * (src/server/api/same-origin.ts) and by session issuance (./session.ts). A browser sends
 * `Sec-Fetch-Site` and, on a write, `Origin`; a page on another origin cannot forge either.
 * A request with neither is not from a browser page (curl, a server, a test).
 */
const READ_ONLY_METHODS = new Set(["GET", "HEAD"]);

export const isReadOnly = (req: Request) => READ_ONLY_METHODS.has(req.method);

/** A write (any non-GET) that a browser marks as coming from another origin's page. */
export const isForeignWrite = (req: Request) => !isReadOnly(req) && foreignOriginOf(req) !== undefined;

/** Why `req` is not from one of this app's own pages, in words, or undefined when it is (or says nothing). */
export function foreignOriginOf(req: Request): string | undefined {
  const site = req.headers.get("sec-fetch-site");
  if (site === "cross-site" || site === "same-site") {
    return `this one was sent by a page on another origin (Sec-Fetch-Site: ${site})`;
  }
  const origin = req.headers.get("origin");
  if (origin !== null && !ownOrigins(req).has(origin.toLowerCase())) {
    return `this one came from ${JSON.stringify(origin.slice(0, 200))}, not from this app`;
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
