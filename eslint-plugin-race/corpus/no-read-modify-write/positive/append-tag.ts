// Appending to an array column from the row as read: two tags added at once, one is lost.
import { eq } from "drizzle-orm";

import { projects } from "../../_support/schema";
import { createTRPCRouter, protectedProcedure, TRPCError, z } from "../../_support/trpc";

export const projectRouter = createTRPCRouter({
  addTag: protectedProcedure.input(z.object({ id: z.string(), tag: z.string() })).mutation(async ({ ctx, input }) => {
    const [project] = await ctx.db.select().from(projects).where(eq(projects.id, input.id));
    if (!project) throw new TRPCError({ code: "NOT_FOUND" });
    await ctx.db
      .update(projects)
      .set({ tags: [...project.tags, input.tag] }) // expect: race/no-read-modify-write
      .where(eq(projects.id, input.id));
  }),
});
