// The project row is locked first: every join of this project takes turns, so the
// lookup and the insert of the member are serialized.
import { and, eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { members, projects } from "../../_support/schema";

export function join(projectId: string, userId: string) {
  return db.transaction(async (tx) => {
    await tx.select({ id: projects.id }).from(projects).where(eq(projects.id, projectId)).for("update");
    const [member] = await tx.select().from(members).where(and(eq(members.projectId, projectId), eq(members.userId, userId)));
    if (member) return member;
    const [created] = await tx.insert(members).values({ projectId, userId, role: "viewer" }).returning();
    return created;
  });
}
