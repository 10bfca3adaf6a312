// The manual upsert: update if a row exists, insert if not. Two first-time requests both
// take the insert branch.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { subscriptions } from "../../_support/schema";

export async function setPlan(userId: string, plan: "free" | "pro") {
  const [existing] = await db.select().from(subscriptions).where(eq(subscriptions.userId, userId));
  if (existing) {
    await db.update(subscriptions).set({ plan }).where(eq(subscriptions.userId, userId));
  } else {
    await db.insert(subscriptions).values({ userId, plan, status: "active" }); // expect: race/no-check-then-insert
  }
}
