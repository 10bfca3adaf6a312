// The fix for `forEach(async …)` in a transaction: one write after the other.
import { db } from "../../_support/db";
import { cartItems } from "../../_support/schema";

export function addItems(cartId: string, items: { productId: string; quantity: number }[]) {
  return db.transaction(async (tx) => {
    for (const item of items) {
      await tx.insert(cartItems).values({ cartId, productId: item.productId, quantity: item.quantity });
    }
  });
}
