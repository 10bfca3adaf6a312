// "You already liked this" checked by lookup: a double tap inserts two likes.
import { and, eq } from "drizzle-orm";

import { likes } from "../../_support/schema";
import { createTRPCRouter, protectedProcedure, TRPCError, z } from "../../_support/trpc";

export const postRouter = createTRPCRouter({
  like: protectedProcedure.input(z.object({ postId: z.string() })).mutation(async ({ ctx, input }) => {
    const already = await ctx.db
      .select({ id: likes.id })
      .from(likes)
      .where(and(eq(likes.postId, input.postId), eq(likes.userId, ctx.userId)));
    if (already.length > 0) throw new TRPCError({ code: "CONFLICT", message: "Already liked" });
    await ctx.db.insert(likes).values({ postId: input.postId, userId: ctx.userId }); // expect: race/no-check-then-insert
  }),
});
