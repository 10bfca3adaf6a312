// A loop with `await` on the transaction.
import { eq, sql } from "drizzle-orm";

import { db } from "../../_support/db";
import { products } from "../../_support/schema";

export function restock(lines: { productId: string; quantity: number }[]) {
  return db.transaction(async (tx) => {
    for (const line of lines) {
      await tx.update(products).set({ stock: sql`${products.stock} + ${line.quantity}` }).where(eq(products.id, line.productId));
    }
  });
}
