// The count is recomputed from the child rows, not from the column's old value.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { members, projects } from "../../_support/schema";

export async function refreshMemberCount(projectId: string) {
  const rows = await db.select({ id: members.id }).from(members).where(eq(members.projectId, projectId));
  await db.update(projects).set({ memberCount: rows.length }).where(eq(projects.id, projectId));
}
