// Two procedures with one write each: different requests, not a split change.
import { eq } from "drizzle-orm";

import { projects } from "../../_support/schema";
import { createTRPCRouter, protectedProcedure, z } from "../../_support/trpc";

export const projectRouter = createTRPCRouter({
  rename: protectedProcedure.input(z.object({ id: z.string(), title: z.string() })).mutation(async ({ ctx, input }) => {
    await ctx.db.update(projects).set({ title: input.title }).where(eq(projects.id, input.id));
  }),
  remove: protectedProcedure.input(z.object({ id: z.string() })).mutation(async ({ ctx, input }) => {
    await ctx.db.delete(projects).where(eq(projects.id, input.id));
  }),
});
