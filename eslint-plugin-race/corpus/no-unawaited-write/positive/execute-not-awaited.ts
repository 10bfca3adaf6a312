// `.execute()` runs the query, but nothing waits for it or sees it fail.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { notifications } from "../../_support/schema";

export function clearNotifications(userId: string) {
  db.delete(notifications).where(eq(notifications.userId, userId)).execute(); // expect: race/no-unawaited-write
  return { cleared: true };
}
