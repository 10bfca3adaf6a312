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

import { foreignOriginOf, isReadOnly } from "~/server/auth/cross-site";

/** The error to answer a forged-looking or non-JSON mutation with, or undefined to serve it. */
export function refuseCrossSiteMutation(req: Request): TRPCError | undefined {
  if (isReadOnly(req)) return undefined;

  const foreign = foreignOriginOf(req);
  if (foreign) return new TRPCError({ code: "FORBIDDEN", message: `Cross-site requests are refused: ${foreign}.` });

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
