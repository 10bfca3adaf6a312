// The write is a helper handed the transaction, decided from a plain read of the project.
import { eq } from "drizzle-orm";

import { db, type Transaction } from "../../_support/db";
import { members, projects } from "../../_support/schema";

async function removeEditors(tx: Transaction, projectId: string) {
  await tx.delete(members).where(eq(members.projectId, projectId));
}

export function makePrivate(projectId: string) {
  return db.transaction(async (tx) => {
    const [project] = await tx.select().from(projects).where(eq(projects.id, projectId));
    if (project && project.memberCount > 1) await removeEditors(tx, projectId); // expect: race/no-unlocked-read-before-write
  });
}
