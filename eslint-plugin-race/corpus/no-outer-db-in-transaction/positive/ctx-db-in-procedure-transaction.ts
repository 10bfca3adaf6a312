// In a tRPC procedure: `ctx.db` inside `ctx.db.transaction(…)` reads outside the
// transaction, so it does not see the member just inserted.
import { eq } from "drizzle-orm";

import { members, projects } from "../../_support/schema";
import { createTRPCRouter, protectedProcedure, z } from "../../_support/trpc";

export const memberRouter = createTRPCRouter({
  join: protectedProcedure.input(z.object({ projectId: z.string() })).mutation(({ ctx, input }) =>
    ctx.db.transaction(async (tx) => {
      await tx.insert(members).values({ projectId: input.projectId, userId: ctx.userId, role: "viewer" });
      const all = await ctx.db.select().from(members).where(eq(members.projectId, input.projectId)); // expect: race/no-outer-db-in-transaction
      await tx.update(projects).set({ memberCount: all.length }).where(eq(projects.id, input.projectId));
    }),
  ),
});
