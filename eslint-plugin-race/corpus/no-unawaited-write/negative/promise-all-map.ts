// Many writes at once on the pool, awaited together.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { notifications } from "../../_support/schema";

export async function markRead(ids: string[]) {
  await Promise.all(ids.map((id) => db.update(notifications).set({ readAt: new Date() }).where(eq(notifications.id, id))));
}
