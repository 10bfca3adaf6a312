// A transaction with a plain read does not prevent the lost update: under READ
// COMMITTED both transactions read stock 5 and both write 4.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { products } from "../../_support/schema";

export function reserve(productId: string, quantity: number) {
  return db.transaction(async (tx) => {
    const [product] = await tx.select().from(products).where(eq(products.id, productId));
    if (!product || product.stock < quantity) return false;
    await tx
      .update(products)
      .set({ stock: product.stock - quantity }) // expect: race/no-read-modify-write
      .where(eq(products.id, productId));
    return true;
  });
}
