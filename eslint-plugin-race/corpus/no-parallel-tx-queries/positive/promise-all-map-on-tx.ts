// One insert per item, all at once, on one transaction.
import { db } from "../../_support/db";
import { cartItems } from "../../_support/schema";

export function addItems(cartId: string, items: { productId: string; quantity: number }[]) {
  return db.transaction(async (tx) => {
    await Promise.all(items.map((item) => tx.insert(cartItems).values({ cartId, ...item }))); // expect: race/no-parallel-tx-queries
  });
}
