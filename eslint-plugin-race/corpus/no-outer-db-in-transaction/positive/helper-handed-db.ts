// A helper handed the outer handle inside a transaction: its write is outside it.
import { eq } from "drizzle-orm";

import { db, withTransaction, type Database } from "../../_support/db";
import { auditLog, members } from "../../_support/schema";

async function recordAudit(database: Database, actorId: string, action: string) {
  await database.insert(auditLog).values({ actorId, action });
}

export function removeMember(actorId: string, memberId: string) {
  return withTransaction(db, async (tx) => {
    await tx.delete(members).where(eq(members.id, memberId));
    await recordAudit(db, actorId, "member.remove"); // expect: race/no-outer-db-in-transaction
  });
}
