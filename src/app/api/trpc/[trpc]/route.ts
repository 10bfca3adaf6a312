import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { NextResponse } from "next/server";

import { MAX_BATCH_SIZE } from "~/server/api/batch-limit";
import { limitRequestBody } from "~/server/api/body-limit";
import { appRouter } from "~/server/api/root";
import { refuseCrossSiteMutation } from "~/server/api/same-origin";
import { createTRPCContext } from "~/server/api/trpc";
import { headersWithSession, sessionToIssue, setSessionCookie } from "~/server/auth/session";

/**
 * /api/trpc. Before any procedure runs: a mutation must be JSON from this app's own origin
 * (same-origin.ts: 415 / 403), the body at most 64 KiB (body-limit.ts: 413), a batch at
 * most MAX_BATCH_SIZE calls (batch-limit.ts: 400, checked by tRPC before the context). A
 * refusal is thrown from createContext, so every call in the request answers it and none
 * reads its input or touches the database. The proxy skips this route: a call without a valid
 * session gets one here, by the proxy's rules (src/server/auth/session.ts).
 */
const handler = async (incoming: Request) => {
  const refused = refuseCrossSiteMutation(incoming);
  const { req, error } = await limitRequestBody(incoming);
  const cookie = await sessionToIssue(req);
  const headers = cookie ? headersWithSession(req.headers, cookie) : req.headers;
  const response = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    maxBatchSize: MAX_BATCH_SIZE,
    createContext: () => {
      if (refused ?? error) throw refused ?? error;
      return createTRPCContext({ headers });
    },
    onError({ path, error }) {
      if (error.code === "INTERNAL_SERVER_ERROR") {
        console.error(`[trpc] ${path ?? "<no-path>"} failed:`, error.cause ?? error);
      }
    },
  });
  if (!cookie) return response;
  const withSession = new NextResponse(response.body, response);
  setSessionCookie(withSession, cookie, req.url);
  return withSession;
};

export { handler as GET, handler as POST };
