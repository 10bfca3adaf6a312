// The row is locked before the comparison, so nothing can commit in between.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { documents } from "../../_support/schema";

export function saveDocument(id: string, body: string, revision: number) {
  return db.transaction(async (tx) => {
    const [doc] = await tx.select().from(documents).where(eq(documents.id, id)).for("update");
    if (doc?.revision !== revision) return { conflict: true };
    await tx.update(documents).set({ body, revision: revision + 1 }).where(eq(documents.id, id));
    return { conflict: false };
  });
}
