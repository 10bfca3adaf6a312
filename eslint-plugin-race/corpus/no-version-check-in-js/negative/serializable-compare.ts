// SERIALIZABLE: a concurrent save makes one of the two transactions fail with 40001.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { documents } from "../../_support/schema";

export function saveDocument(id: string, body: string, revision: number) {
  return db.transaction(
    async (tx) => {
      const [doc] = await tx.select().from(documents).where(eq(documents.id, id));
      if (doc?.revision !== revision) return false;
      await tx.update(documents).set({ body }).where(eq(documents.id, id));
      return true;
    },
    { isolationLevel: "serializable" },
  );
}
