// The new value is the client's, not derived from a read.
import { eq } from "drizzle-orm";

import { users } from "../../_support/schema";
import { createTRPCRouter, protectedProcedure, z } from "../../_support/trpc";

export const profileRouter = createTRPCRouter({
  rename: protectedProcedure.input(z.object({ name: z.string().trim().min(1) })).mutation(async ({ ctx, input }) => {
    const [user] = await ctx.db.select().from(users).where(eq(users.id, ctx.userId));
    await ctx.db.update(users).set({ name: `${input.name}` }).where(eq(users.id, ctx.userId));
    return { previous: user?.name };
  }),
});
