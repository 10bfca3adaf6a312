// The fix: the version in the WHERE, bumped in SQL; no row back is the conflict.
import { and, eq, sql } from "drizzle-orm";

import { db } from "../../_support/db";
import { documents } from "../../_support/schema";
import { TRPCError } from "../../_support/trpc";

export async function saveDocument(id: string, body: string, revision: number) {
  const [saved] = await db
    .update(documents)
    .set({ body, revision: sql`${documents.revision} + 1` })
    .where(and(eq(documents.id, id), eq(documents.revision, revision)))
    .returning();
  if (!saved) throw new TRPCError({ code: "CONFLICT", message: "Reload: someone else saved" });
  return saved;
}
