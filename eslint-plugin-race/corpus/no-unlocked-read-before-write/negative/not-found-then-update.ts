// The read only decides NOT_FOUND: if the row disappears before the update, the update
// matches nothing, which is the same answer.
import { and, eq } from "drizzle-orm";

import { projects } from "../../_support/schema";
import { createTRPCRouter, protectedProcedure, TRPCError, z } from "../../_support/trpc";

export const projectRouter = createTRPCRouter({
  rename: protectedProcedure.input(z.object({ id: z.string(), title: z.string() })).mutation(async ({ ctx, input }) => {
    const [project] = await ctx.db
      .select({ id: projects.id })
      .from(projects)
      .where(and(eq(projects.id, input.id), eq(projects.ownerId, ctx.userId)));
    if (!project) throw new TRPCError({ code: "NOT_FOUND" });
    await ctx.db.update(projects).set({ title: input.title }).where(eq(projects.id, project.id));
  }),
});
