// The fix: claim the idempotency key first. The insert is the decision; no row back
// means another request holds the key, and this one answers with that payment.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { payments } from "../../_support/schema";
import { chargeCard } from "../../_support/services";

export async function pay(userId: string, amount: number, idempotencyKey: string) {
  const [claimed] = await db
    .insert(payments)
    .values({ userId, idempotencyKey, amount, status: "pending" })
    .onConflictDoNothing({ target: payments.idempotencyKey })
    .returning();
  if (!claimed) {
    const [existing] = await db.select().from(payments).where(eq(payments.idempotencyKey, idempotencyKey));
    return existing;
  }
  const charge = await chargeCard(userId, amount, idempotencyKey);
  const [paid] = await db
    .update(payments)
    .set({ status: "paid", chargeId: charge.id })
    .where(eq(payments.id, claimed.id))
    .returning();
  return paid;
}
