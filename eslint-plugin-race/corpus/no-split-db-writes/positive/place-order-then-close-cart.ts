// Checkout: the order is created and the cart closed by separate statements. Between
// them the cart is still open, so a second click places a second order for it.
import { eq } from "drizzle-orm";

import { carts, orders } from "../../_support/schema";
import { createTRPCRouter, protectedProcedure, z } from "../../_support/trpc";

export const checkoutRouter = createTRPCRouter({
  placeOrder: protectedProcedure
    .input(z.object({ cartId: z.string().uuid(), total: z.number().int() }))
    .mutation(async ({ ctx, input }) => {
      const [order] = await ctx.db
        .insert(orders)
        .values({ userId: ctx.userId, cartId: input.cartId, total: input.total, status: "placed" })
        .returning();
      await ctx.db.update(carts).set({ status: "checked_out" }).where(eq(carts.id, input.cartId)); // expect: race/no-split-db-writes
      return order;
    }),
});
