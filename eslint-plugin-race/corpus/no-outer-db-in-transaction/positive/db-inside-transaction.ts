// The audit insert uses `db`, not `tx`: it commits on its own even when the transaction
// rolls back, and it cannot see the project the transaction just archived.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { auditLog, projects } from "../../_support/schema";

export function archive(actorId: string, projectId: string) {
  return db.transaction(async (tx) => {
    await tx.update(projects).set({ status: "archived" }).where(eq(projects.id, projectId));
    await db.insert(auditLog).values({ actorId, action: "project.archive", targetId: projectId }); // expect: race/no-outer-db-in-transaction
  });
}
