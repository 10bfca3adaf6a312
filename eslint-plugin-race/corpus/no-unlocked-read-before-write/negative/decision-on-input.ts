// The condition is the request's input, not something read from the database.
import { eq } from "drizzle-orm";

import { projects } from "../../_support/schema";
import { createTRPCRouter, protectedProcedure, z } from "../../_support/trpc";

export const projectRouter = createTRPCRouter({
  setStatus: protectedProcedure
    .input(z.object({ id: z.string(), archive: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      if (input.archive) {
        await ctx.db.update(projects).set({ status: "archived" }).where(eq(projects.id, input.id));
      }
    }),
});
