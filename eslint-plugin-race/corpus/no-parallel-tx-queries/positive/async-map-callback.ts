// An async callback per item, each awaiting on the shared transaction.
import { eq, sql } from "drizzle-orm";

import { db } from "../../_support/db";
import { products } from "../../_support/schema";

export function restock(lines: { productId: string; quantity: number }[]) {
  return db.transaction(async (tx) => {
    await Promise.all( // expect: race/no-parallel-tx-queries
      lines.map(async (line) => {
        await tx
          .update(products)
          .set({ stock: sql`${products.stock} + ${line.quantity}` })
          .where(eq(products.id, line.productId));
      }),
    );
  });
}
