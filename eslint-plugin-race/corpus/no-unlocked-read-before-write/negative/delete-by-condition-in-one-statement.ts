// The fix for a cleanup by ids: one DELETE with the condition itself in its WHERE.
import { and, eq, lt } from "drizzle-orm";

import { db } from "../../_support/db";
import { carts } from "../../_support/schema";

export async function deleteAbandonedCarts(before: Date) {
  const deleted = await db
    .delete(carts)
    .where(and(eq(carts.itemCount, 0), lt(carts.updatedAt, before)))
    .returning({ id: carts.id });
  return deleted.length;
}
