// A function beside the transaction, not inside it, uses the pool.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { projects, scenes } from "../../_support/schema";

export async function countScenes(projectId: string) {
  const rows = await db.select({ id: scenes.id }).from(scenes).where(eq(scenes.projectId, projectId));
  return rows.length;
}

export function rename(projectId: string, title: string) {
  return db.transaction(async (tx) => {
    await tx.update(projects).set({ title }).where(eq(projects.id, projectId));
  });
}
