// An ownership check before the write: who owns a document does not change under the
// request, so this is authorization, not a decision on state.
import { eq } from "drizzle-orm";

import { documents } from "../../_support/schema";
import { createTRPCRouter, protectedProcedure, TRPCError, z } from "../../_support/trpc";

export const documentRouter = createTRPCRouter({
  retitle: protectedProcedure.input(z.object({ id: z.string(), title: z.string() })).mutation(async ({ ctx, input }) => {
    const [doc] = await ctx.db.select({ ownerId: documents.ownerId }).from(documents).where(eq(documents.id, input.id));
    if (!doc) throw new TRPCError({ code: "NOT_FOUND" });
    if (doc.ownerId !== ctx.userId) throw new TRPCError({ code: "FORBIDDEN" });
    await ctx.db.update(documents).set({ title: input.title }).where(eq(documents.id, input.id));
  }),
});
