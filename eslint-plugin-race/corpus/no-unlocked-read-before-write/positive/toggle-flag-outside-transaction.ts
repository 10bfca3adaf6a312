// Read a flag, then update it from what was read: two admins toggling at once both read
// `enabled = true` and both write `false`, so one toggle is lost.
import { eq } from "drizzle-orm";

import { featureFlags } from "../../_support/schema";
import { createTRPCRouter, protectedProcedure, TRPCError, z } from "../../_support/trpc";

export const flagRouter = createTRPCRouter({
  toggle: protectedProcedure.input(z.object({ key: z.string() })).mutation(async ({ ctx, input }) => {
    const [flag] = await ctx.db.select().from(featureFlags).where(eq(featureFlags.key, input.key));
    if (!flag) throw new TRPCError({ code: "NOT_FOUND" });
    if (flag.enabled) {
      await ctx.db.update(featureFlags).set({ enabled: false }).where(eq(featureFlags.key, input.key)); // expect: race/no-unlocked-read-before-write
    } else {
      await ctx.db.update(featureFlags).set({ enabled: true }).where(eq(featureFlags.key, input.key)); // expect: race/no-unlocked-read-before-write
    }
  }),
});
