// The comparison only tells the client it is behind; nothing is written.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { documents } from "../../_support/schema";

export async function status(id: string, revision: number) {
  const [doc] = await db.select({ revision: documents.revision }).from(documents).where(eq(documents.id, id));
  return { stale: doc !== undefined && doc.revision !== revision };
}
