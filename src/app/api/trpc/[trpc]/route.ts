import { fetchRequestHandler } from "@trpc/server/adapters/fetch";

import { limitRequestBody } from "~/server/api/body-limit";
import { appRouter } from "~/server/api/root";
import { createTRPCContext } from "~/server/api/trpc";

const handler = async (incoming: Request) => {
  const { req, error } = await limitRequestBody(incoming);
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: () => {
      if (error) throw error;
      return createTRPCContext({ headers: req.headers });
    },
    onError({ path, error }) {
      if (error.code === "INTERNAL_SERVER_ERROR") {
        console.error(`[trpc] ${path ?? "<no-path>"} failed:`, error.cause ?? error);
      }
    },
  });
};

export { handler as GET, handler as POST };
