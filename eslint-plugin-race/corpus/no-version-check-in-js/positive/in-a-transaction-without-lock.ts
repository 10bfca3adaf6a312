// Inside a transaction, a plain read and a JS check still race under READ COMMITTED.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { documents } from "../../_support/schema";

export function saveDocument(id: string, body: string, revision: number) {
  return db.transaction(async (tx) => {
    const [doc] = await tx.select().from(documents).where(eq(documents.id, id));
    if (doc?.revision !== revision) return { conflict: true };
    await tx.update(documents).set({ body }).where(eq(documents.id, id)); // expect: race/no-version-check-in-js
    return { conflict: false };
  });
}
