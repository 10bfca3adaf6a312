// `updatedAt` as the token, checked by the UPDATE itself.
import { and, eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { projects } from "../../_support/schema";

export async function retitle(projectId: string, title: string, loadedAt: Date) {
  const updated = await db
    .update(projects)
    .set({ title, updatedAt: new Date() })
    .where(and(eq(projects.id, projectId), eq(projects.updatedAt, loadedAt)))
    .returning({ id: projects.id });
  return updated.length === 1;
}
