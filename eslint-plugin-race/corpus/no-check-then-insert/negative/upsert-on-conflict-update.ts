// The fix for the manual upsert: one INSERT … ON CONFLICT DO UPDATE.
import { db } from "../../_support/db";
import { subscriptions } from "../../_support/schema";

export async function setPlan(userId: string, plan: "free" | "pro") {
  await db
    .insert(subscriptions)
    .values({ userId, plan, status: "active" })
    .onConflictDoUpdate({ target: subscriptions.userId, set: { plan } });
}
