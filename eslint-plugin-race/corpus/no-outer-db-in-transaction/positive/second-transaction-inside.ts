// A second transaction on `db` inside the first: two connections, committed separately,
// and the inner one can wait on a lock the outer one holds.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { orders, products } from "../../_support/schema";

export function placeOrder(userId: string, cartId: string, productId: string) {
  return db.transaction(async (tx) => {
    await tx.insert(orders).values({ userId, cartId, total: 0, status: "placed" });
    await db.transaction(async (inner) => { // expect: race/no-outer-db-in-transaction
      await inner.update(products).set({ name: "reserved" }).where(eq(products.id, productId));
    });
  });
}
