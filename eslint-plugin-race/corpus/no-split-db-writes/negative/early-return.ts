// The first write is followed by `return`: the second one only runs when the first did not.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { notifications } from "../../_support/schema";

export async function markRead(userId: string, notificationId: string | null) {
  if (notificationId === null) {
    await db.update(notifications).set({ readAt: new Date() }).where(eq(notifications.userId, userId));
    return "all";
  }
  await db.update(notifications).set({ readAt: new Date() }).where(eq(notifications.id, notificationId));
  return "one";
}
