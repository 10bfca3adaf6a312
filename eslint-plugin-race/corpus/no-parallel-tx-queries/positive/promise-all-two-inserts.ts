// Two inserts on one transaction through Promise.all: they queue on the same connection,
// and if the first fails the second hits an aborted transaction.
import { db } from "../../_support/db";
import { auditLog, members } from "../../_support/schema";

export function addOwner(projectId: string, userId: string) {
  return db.transaction(async (tx) => {
    await Promise.all([ // expect: race/no-parallel-tx-queries
      tx.insert(members).values({ projectId, userId, role: "owner" }),
      tx.insert(auditLog).values({ actorId: userId, action: "member.add", targetId: projectId }),
    ]);
  });
}
