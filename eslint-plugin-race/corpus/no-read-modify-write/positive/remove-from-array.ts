// Removing from an array column with `filter` on the stale value: a tag added meanwhile
// disappears again.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { projects } from "../../_support/schema";

export async function removeTag(projectId: string, tag: string) {
  const [project] = await db.select({ tags: projects.tags }).from(projects).where(eq(projects.id, projectId));
  if (!project) return;
  await db
    .update(projects)
    .set({ tags: project.tags.filter((existing) => existing !== tag) }) // expect: race/no-read-modify-write
    .where(eq(projects.id, projectId));
}
