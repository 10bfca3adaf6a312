// Archiving a project in three statements: a crash after the first leaves an archived
// project that still has members and no audit entry.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { auditLog, members, projects } from "../../_support/schema";

export async function archiveProject(actorId: string, projectId: string) {
  await db.update(projects).set({ status: "archived" }).where(eq(projects.id, projectId));
  await db.delete(members).where(eq(members.projectId, projectId)); // expect: race/no-split-db-writes
  await db.insert(auditLog).values({ actorId, action: "project.archive", targetId: projectId }); // expect: race/no-split-db-writes
}
