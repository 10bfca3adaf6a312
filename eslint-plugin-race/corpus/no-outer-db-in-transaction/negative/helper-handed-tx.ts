// The helper is handed the transaction.
import { eq } from "drizzle-orm";

import { db, type Executor } from "../../_support/db";
import { auditLog, members } from "../../_support/schema";

async function recordAudit(executor: Executor, actorId: string, action: string) {
  await executor.insert(auditLog).values({ actorId, action });
}

export function removeMember(actorId: string, memberId: string) {
  return db.transaction(async (tx) => {
    await tx.delete(members).where(eq(members.id, memberId));
    await recordAudit(tx, actorId, "member.remove");
  });
}
