// `allSettled` hides the failure: later updates run on an aborted transaction.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { notifications } from "../../_support/schema";

export function markRead(userId: string, ids: string[]) {
  return db.transaction(async (tx) => {
    const results = await Promise.allSettled( // expect: race/no-parallel-tx-queries
      ids.map((id) => tx.update(notifications).set({ readAt: new Date() }).where(eq(notifications.id, id))),
    );
    return results.filter((result) => result.status === "fulfilled").length;
  });
}
