// Helpers handed the same transaction, run in parallel.
import { withTransaction, type Database, type Transaction } from "../../_support/db";
import { members } from "../../_support/schema";

async function addMember(tx: Transaction, projectId: string, userId: string) {
  await tx.insert(members).values({ projectId, userId, role: "editor" });
}

export function addMembers(db: Database, projectId: string, first: string, second: string) {
  return withTransaction(db, async (tx) => {
    await Promise.all([addMember(tx, projectId, first), addMember(tx, projectId, second)]); // expect: race/no-parallel-tx-queries
  });
}
