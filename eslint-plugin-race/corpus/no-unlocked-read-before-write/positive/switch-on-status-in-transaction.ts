// Cancelling an order decided by a `switch` on a plain read inside a transaction: a
// shipment committed meanwhile is cancelled anyway.
import { eq } from "drizzle-orm";

import { withTransaction, type Database } from "../../_support/db";
import { orders } from "../../_support/schema";

export function cancelOrder(db: Database, orderId: string) {
  return withTransaction(db, async (tx) => {
    const [order] = await tx.select().from(orders).where(eq(orders.id, orderId));
    switch (order?.status) {
      case "placed":
        await tx.delete(orders).where(eq(orders.id, orderId)); // expect: race/no-unlocked-read-before-write
        return "cancelled";
      default:
        return "too-late";
    }
  });
}
