// An authorization check on the user before writing a post: the write is not about the
// row that was checked (a ban landing mid-request is not this kind of race).
import { eq } from "drizzle-orm";

import { posts, users } from "../../_support/schema";
import { createTRPCRouter, protectedProcedure, TRPCError, z } from "../../_support/trpc";

export const postRouter = createTRPCRouter({
  resetViews: protectedProcedure.input(z.object({ postId: z.string() })).mutation(async ({ ctx, input }) => {
    const [user] = await ctx.db.select().from(users).where(eq(users.id, ctx.userId));
    if (!user || user.isBanned || user.plan !== "pro") throw new TRPCError({ code: "FORBIDDEN" });
    await ctx.db.update(posts).set({ viewCount: 0 }).where(eq(posts.id, input.postId));
  }),
});
