// The fix: decide from a row locked with FOR UPDATE in the same transaction.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { projects, scenes } from "../../_support/schema";

export function applyGeneration(projectId: string) {
  return db.transaction(async (tx) => {
    const [project] = await tx.select().from(projects).where(eq(projects.id, projectId)).for("update");
    if (project?.isWelcome) {
      await tx.update(projects).set({ isWelcome: false }).where(eq(projects.id, projectId));
      await tx.delete(scenes).where(eq(scenes.projectId, projectId));
    }
  });
}
