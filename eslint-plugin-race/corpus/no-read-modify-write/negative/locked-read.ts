// The read locks the row, so no other transaction changes it before this one commits.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { products } from "../../_support/schema";

export function reserve(productId: string, quantity: number) {
  return db.transaction(async (tx) => {
    const [product] = await tx.select().from(products).where(eq(products.id, productId)).for("update");
    if (!product || product.stock < quantity) return false;
    await tx.update(products).set({ stock: product.stock - quantity }).where(eq(products.id, productId));
    return true;
  });
}
