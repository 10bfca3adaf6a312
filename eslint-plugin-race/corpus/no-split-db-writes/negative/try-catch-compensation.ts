// The `catch` records the failure instead of the success: `try` and `catch` here are
// alternatives, not two steps of one change.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { payments } from "../../_support/schema";
import { chargeCard } from "../../_support/services";

export async function capture(paymentId: string, userId: string, amount: number) {
  try {
    const charge = await chargeCard(userId, amount, paymentId);
    await db.update(payments).set({ status: "paid", chargeId: charge.id }).where(eq(payments.id, paymentId));
  } catch (error) {
    await db.update(payments).set({ status: "failed" }).where(eq(payments.id, paymentId));
    throw error;
  }
}
