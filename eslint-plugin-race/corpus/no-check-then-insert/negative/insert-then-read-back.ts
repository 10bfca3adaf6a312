// Insert first, read after: nothing is decided from the lookup.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { auditLog } from "../../_support/schema";

export async function log(actorId: string, action: string) {
  await db.insert(auditLog).values({ actorId, action });
  const recent = await db.select().from(auditLog).where(eq(auditLog.actorId, actorId)).limit(20);
  return recent;
}
