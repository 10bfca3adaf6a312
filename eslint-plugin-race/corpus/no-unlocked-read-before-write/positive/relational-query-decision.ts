// The relational query API has no row lock: cancelling from `findFirst` acts on a
// subscription that may have been renewed a moment ago.
import { eq } from "drizzle-orm";

import { subscriptions } from "../../_support/schema";
import { createTRPCRouter, protectedProcedure } from "../../_support/trpc";

export const billingRouter = createTRPCRouter({
  cancel: protectedProcedure.mutation(async ({ ctx }) => {
    const subscription = await ctx.db.query.subscriptions.findFirst({ where: eq(subscriptions.userId, ctx.userId) });
    if (subscription?.status === "active") {
      await ctx.db.update(subscriptions).set({ status: "canceled", renewsAt: null }).where(eq(subscriptions.userId, ctx.userId)); // expect: race/no-unlocked-read-before-write
    }
  }),
});
