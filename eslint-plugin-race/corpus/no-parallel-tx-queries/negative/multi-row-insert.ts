// The better fix: one multi-row insert.
import { db } from "../../_support/db";
import { cartItems } from "../../_support/schema";

export function addItems(cartId: string, items: { productId: string; quantity: number }[]) {
  return db.transaction(async (tx) => {
    if (items.length > 0) await tx.insert(cartItems).values(items.map((item) => ({ cartId, ...item })));
  });
}
