// The fix: compute from the current value in SQL.
import { eq, sql } from "drizzle-orm";

import { db } from "../../_support/db";
import { posts, projects } from "../../_support/schema";

export async function recordView(postId: string) {
  await db.update(posts).set({ viewCount: sql`${posts.viewCount} + 1` }).where(eq(posts.id, postId));
}

export async function addTag(projectId: string, tag: string) {
  await db
    .update(projects)
    .set({ tags: sql`array_append(${projects.tags}, ${tag})` })
    .where(eq(projects.id, projectId));
}
