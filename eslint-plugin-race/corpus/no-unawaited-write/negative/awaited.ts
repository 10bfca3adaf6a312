// Awaited: the write runs, and the response waits for it.
import { eq } from "drizzle-orm";

import { users } from "../../_support/schema";
import { createTRPCRouter, protectedProcedure } from "../../_support/trpc";

export const userRouter = createTRPCRouter({
  touch: protectedProcedure.mutation(async ({ ctx }) => {
    await ctx.db.update(users).set({ lastSeenAt: new Date() }).where(eq(users.id, ctx.userId));
  }),
});
