// The fix: one statement after the other on the transaction.
import { db } from "../../_support/db";
import { auditLog, members } from "../../_support/schema";

export function addOwner(projectId: string, userId: string) {
  return db.transaction(async (tx) => {
    await tx.insert(members).values({ projectId, userId, role: "owner" });
    await tx.insert(auditLog).values({ actorId: userId, action: "member.add", targetId: projectId });
  });
}
