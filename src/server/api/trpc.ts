/**
 * tRPC setup: the request context (database + the session's user), the error shape
 * (zod issues on BAD_REQUEST), and the procedures every router builds on.
 * Modelled on create-t3-app's `src/server/api/trpc.ts`.
 */
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { z, ZodError } from "zod";

import { sessionUserId } from "~/server/auth/session";
import { getDb } from "~/server/db";
import { batchLimitMessage } from "./batch-limit";
import { conflictCurrentOf, toTRPCError } from "./errors";

export const createTRPCContext = async (opts: { headers: Headers }) => {
  // The same parser as the proxy's (src/proxy.ts): the first rs_session cookie that verifies.
  const userId = await sessionUserId(opts.headers);
  return { db: getDb(), userId, headers: opts.headers };
};

export type TRPCContext = Awaited<ReturnType<typeof createTRPCContext>>;

/** What a client is told about an error that is a bug, not something it can act on. */
export const INTERNAL_ERROR_MESSAGE = "Something went wrong on our side. It has been logged; try again in a moment.";

const t = initTRPC.context<TRPCContext>().create({
  transformer: superjson,
  /**
   * Every error a client sees goes through here. An INTERNAL_SERVER_ERROR is anything that
   * was not a deliberate TRPCError with a client-facing message: an unmapped database
   * error (whose message is the SQL and its parameters), a TypeError, a driver failure. In
   * production its message becomes INTERNAL_ERROR_MESSAGE and no stack is sent, whatever
   * the error; `cause` is never part of the shape. The route handler's onError logs the
   * real error. Read at call time (not at start-up, like tRPC's own `isDev`), so a test can
   * stub NODE_ENV.
   */
  errorFormatter({ shape, error }) {
    const production = process.env.NODE_ENV === "production";
    const hidden = production && error.code === "INTERNAL_SERVER_ERROR";
    const zodError = !hidden && error.cause instanceof ZodError ? error.cause : null;
    const { stack, ...data } = shape.data;
    return {
      ...shape,
      // tRPC's own message for a zod failure is the issues as JSON; say the first one in words.
      message: hidden
        ? INTERNAL_ERROR_MESSAGE
        : zodError
          ? describeIssues(zodError)
          : (batchLimitMessage(error) ?? shape.message),
      data: {
        ...data,
        ...(production || stack === undefined ? {} : { stack }),
        zodError: zodError ? z.flattenError(zodError) : null,
        conflict: hidden ? null : conflictCurrentOf(error),
      },
    };
  },
});

function describeIssues(error: ZodError) {
  const [first, ...rest] = error.issues;
  if (!first) return "Invalid input";
  const where = first.path.length > 0 ? `${first.path.join(".")}: ` : "";
  return `${where}${first.message}${rest.length > 0 ? ` (and ${rest.length} more)` : ""}`;
}

export const createCallerFactory = t.createCallerFactory;
export const createTRPCRouter = t.router;

/** Domain errors and database failures become their tRPC codes (./errors.ts). */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const mapped = toTRPCError(result.error.cause);
    if (mapped) throw mapped;
  }
  return result;
});

export const publicProcedure = t.procedure.use(mapErrors);

/** A procedure that needs the session's user; every project procedure builds on it. */
export const userProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.userId) {
    throw new TRPCError({ code: "UNAUTHORIZED", message: "No session. Reload the page to start one." });
  }
  return next({ ctx: { ...ctx, userId: ctx.userId } });
});
