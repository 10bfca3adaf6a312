/**
 * tRPC setup: the request context (database + the session's user), the error shape
 * (zod issues on BAD_REQUEST), and the procedures every router builds on.
 * Modelled on create-t3-app's `src/server/api/trpc.ts`.
 */
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { z, ZodError } from "zod";

import { readSession, sessionCookieFromHeader } from "~/server/auth/session";
import { getDb } from "~/server/db";
import { conflictCurrentOf, databaseErrorToTRPC } from "./errors";

export const createTRPCContext = async (opts: { headers: Headers }) => {
  const userId = await readSession(sessionCookieFromHeader(opts.headers.get("cookie")));
  return { db: getDb(), userId, headers: opts.headers };
};

export type TRPCContext = Awaited<ReturnType<typeof createTRPCContext>>;

const t = initTRPC.context<TRPCContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const zodError = error.cause instanceof ZodError ? error.cause : null;
    return {
      ...shape,
      // tRPC's own message for a zod failure is the issues as JSON; say the first one in words.
      message: zodError ? describeIssues(zodError) : shape.message,
      data: {
        ...shape.data,
        zodError: zodError ? z.flattenError(zodError) : null,
        conflict: conflictCurrentOf(error),
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

const mapDatabaseErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const mapped = databaseErrorToTRPC(result.error.cause);
    if (mapped) throw mapped;
  }
  return result;
});

export const publicProcedure = t.procedure.use(mapDatabaseErrors);

/** A procedure that needs the session's user; every project procedure builds on it. */
export const userProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.userId) {
    throw new TRPCError({ code: "UNAUTHORIZED", message: "No session. Reload the page to start one." });
  }
  return next({ ctx: { ...ctx, userId: ctx.userId } });
});
