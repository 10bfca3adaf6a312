// `forEach` with an async callback: the inserts start after `forEach` returns, the
// transaction commits before they run, and they fail on a closed transaction.
import { db } from "../../_support/db";
import { cartItems } from "../../_support/schema";

export function addItems(cartId: string, items: { productId: string; quantity: number }[]) {
  return db.transaction(async (tx) => {
    items.forEach(async (item) => { // expect: race/no-unawaited-write
      await tx.insert(cartItems).values({ cartId, productId: item.productId, quantity: item.quantity });
    });
  });
}
