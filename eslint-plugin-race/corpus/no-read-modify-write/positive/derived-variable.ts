// The new value goes through a variable first; it is still computed from the stale read.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { members, projects } from "../../_support/schema";

export async function addMember(projectId: string, userId: string) {
  const [project] = await db.select().from(projects).where(eq(projects.id, projectId));
  if (!project) return;
  await db.insert(members).values({ projectId, userId, role: "editor" });
  const memberCount = project.memberCount + 1;
  await db.update(projects).set({ memberCount }).where(eq(projects.id, projectId)); // expect: race/no-read-modify-write, race/no-split-db-writes
}
