/** tRPC as a Next.js app sets it up: a context with the database handle and the signed-in user. */
import { initTRPC, TRPCError } from "@trpc/server";
import { z } from "zod";

import type { Database } from "./db";

export interface Context {
  db: Database;
  userId: string;
}

const t = initTRPC.context<Context>().create();

export const createTRPCRouter = t.router;
export const protectedProcedure = t.procedure;
export { TRPCError, z };
