// SERIALIZABLE: the second of two concurrent check-then-inserts fails with 40001 and is
// retried, and the retry finds the row.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { webhookEvents } from "../../_support/schema";

export function recordEvent(eventId: string, type: string) {
  return db.transaction(
    async (tx) => {
      const [seen] = await tx.select().from(webhookEvents).where(eq(webhookEvents.eventId, eventId));
      if (!seen) await tx.insert(webhookEvents).values({ eventId, type });
    },
    { isolationLevel: "serializable" },
  );
}
