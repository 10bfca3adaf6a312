// The check is repeated in the WHERE: if the cart changed, the update matches nothing
// and `.returning()` is empty. The early read only produces a friendlier error.
import { and, eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { carts } from "../../_support/schema";
import { TRPCError } from "../../_support/trpc";

export async function abandonCart(cartId: string) {
  const [cart] = await db.select().from(carts).where(eq(carts.id, cartId));
  if (cart?.status !== "open") throw new TRPCError({ code: "CONFLICT", message: "This cart is closed" });
  const updated = await db
    .update(carts)
    .set({ status: "abandoned" })
    .where(and(eq(carts.id, cartId), eq(carts.status, "open")))
    .returning();
  if (updated.length === 0) throw new TRPCError({ code: "CONFLICT", message: "This cart was just closed" });
}
