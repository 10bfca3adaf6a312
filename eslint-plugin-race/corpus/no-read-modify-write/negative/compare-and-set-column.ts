// Compare-and-set on the column itself: the update only applies if stock is still what
// was read; an empty `.returning()` means "try again".
import { and, eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { products } from "../../_support/schema";

export async function reserve(productId: string, quantity: number) {
  const [product] = await db.select().from(products).where(eq(products.id, productId));
  if (!product) return "missing";
  const updated = await db
    .update(products)
    .set({ stock: product.stock - quantity })
    .where(and(eq(products.id, productId), eq(products.stock, product.stock)))
    .returning({ id: products.id });
  return updated.length > 0 ? "reserved" : "retry";
}
