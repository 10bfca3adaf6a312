// Optimistic locking done halfway: the revision is compared in JS, the UPDATE is by id
// only. A save committed between the read and this update passes the check and is lost.
import { eq } from "drizzle-orm";

import { documents } from "../../_support/schema";
import { createTRPCRouter, protectedProcedure, TRPCError, z } from "../../_support/trpc";

export const documentRouter = createTRPCRouter({
  save: protectedProcedure
    .input(z.object({ id: z.string(), body: z.string(), revision: z.number().int() }))
    .mutation(async ({ ctx, input }) => {
      const [doc] = await ctx.db.select().from(documents).where(eq(documents.id, input.id));
      if (!doc) throw new TRPCError({ code: "NOT_FOUND" });
      if (doc.revision !== input.revision) throw new TRPCError({ code: "CONFLICT", message: "Reload: someone else saved" });
      const [saved] = await ctx.db // expect: race/no-version-check-in-js
        .update(documents)
        .set({ body: input.body, revision: doc.revision + 1 })
        .where(eq(documents.id, input.id))
        .returning();
      return saved;
    }),
});
