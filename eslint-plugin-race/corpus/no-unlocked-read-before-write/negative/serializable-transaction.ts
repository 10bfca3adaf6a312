// SERIALIZABLE: PostgreSQL fails one of two conflicting transactions with 40001 (retried
// by the caller) instead of letting a stale read decide.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { featureFlags } from "../../_support/schema";

export function disableFlag(key: string) {
  return db.transaction(
    async (tx) => {
      const [flag] = await tx.select().from(featureFlags).where(eq(featureFlags.key, key));
      if (flag?.enabled) await tx.update(featureFlags).set({ enabled: false }).where(eq(featureFlags.key, key));
    },
    { isolationLevel: "serializable" },
  );
}
