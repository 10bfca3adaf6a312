// A nightly job selects the expired subscriptions, emails each user, then cancels by id.
// A user who renews while the job runs (the email takes seconds) is cancelled anyway.
import { and, eq, lt } from "drizzle-orm";

import { db } from "../../_support/db";
import { subscriptions, users } from "../../_support/schema";
import { sendEmail } from "../../_support/services";

export async function cancelExpired(now: Date) {
  const expired = await db
    .select({ id: subscriptions.id, email: users.email })
    .from(subscriptions)
    .innerJoin(users, eq(users.id, subscriptions.userId))
    .where(and(eq(subscriptions.status, "active"), lt(subscriptions.renewsAt, now)));
  for (const subscription of expired) {
    await sendEmail(subscription.email, "subscription-ended");
    await db.update(subscriptions).set({ status: "canceled" }).where(eq(subscriptions.id, subscription.id)); // expect: race/no-unlocked-read-before-write
  }
}
