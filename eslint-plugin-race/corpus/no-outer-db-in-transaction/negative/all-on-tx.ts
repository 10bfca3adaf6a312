// Every statement on the transaction's handle.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { auditLog, projects } from "../../_support/schema";

export function archive(actorId: string, projectId: string) {
  return db.transaction(async (tx) => {
    await tx.update(projects).set({ status: "archived" }).where(eq(projects.id, projectId));
    await tx.insert(auditLog).values({ actorId, action: "project.archive", targetId: projectId });
  });
}
