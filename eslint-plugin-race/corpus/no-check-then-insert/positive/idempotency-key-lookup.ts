// An idempotency key checked by lookup, then the card charged, then the key inserted: a
// retried request that arrives during the charge finds nothing and charges again.
import { eq } from "drizzle-orm";

import { payments } from "../../_support/schema";
import { chargeCard } from "../../_support/services";
import { createTRPCRouter, protectedProcedure, z } from "../../_support/trpc";

export const billingRouter = createTRPCRouter({
  pay: protectedProcedure
    .input(z.object({ amount: z.number().int().positive(), idempotencyKey: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const existing = await ctx.db.query.payments.findFirst({ where: eq(payments.idempotencyKey, input.idempotencyKey) });
      if (existing) return existing;
      const charge = await chargeCard(ctx.userId, input.amount, input.idempotencyKey);
      const [payment] = await ctx.db // expect: race/no-check-then-insert
        .insert(payments)
        .values({ userId: ctx.userId, idempotencyKey: input.idempotencyKey, amount: input.amount, status: "paid", chargeId: charge.id })
        .returning();
      return payment;
    }),
});
