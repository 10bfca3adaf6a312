// A cleanup job reads the "empty" carts, then deletes them by id. A shopper who adds an
// item in between loses the cart with the item in it.
import { and, eq, inArray, lt } from "drizzle-orm";

import { db } from "../../_support/db";
import { carts } from "../../_support/schema";

export async function deleteAbandonedCarts(before: Date) {
  const stale = await db
    .select({ id: carts.id })
    .from(carts)
    .where(and(eq(carts.itemCount, 0), lt(carts.updatedAt, before)));
  if (stale.length === 0) return 0;
  await db.delete(carts).where(inArray(carts.id, stale.map((cart) => cart.id))); // expect: race/no-unlocked-read-before-write
  return stale.length;
}
