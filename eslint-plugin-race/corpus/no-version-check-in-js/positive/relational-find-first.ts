// The same through the relational query API.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { documents } from "../../_support/schema";

export async function rename(id: string, title: string, revision: number) {
  const doc = await db.query.documents.findFirst({ where: eq(documents.id, id) });
  if (doc && doc.revision === revision) {
    await db.update(documents).set({ title }).where(eq(documents.id, id)); // expect: race/no-version-check-in-js
  }
}
