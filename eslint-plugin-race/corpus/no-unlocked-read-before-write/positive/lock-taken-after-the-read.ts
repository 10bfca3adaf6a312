// The lock comes after the read it should protect: the decision still uses the
// unlocked value.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { projects } from "../../_support/schema";

export function archiveIfDraft(projectId: string) {
  return db.transaction(async (tx) => {
    const [project] = await tx.select().from(projects).where(eq(projects.id, projectId));
    await tx.select().from(projects).where(eq(projects.id, projectId)).for("update");
    if (project?.status === "draft") {
      await tx.update(projects).set({ status: "archived" }).where(eq(projects.id, projectId)); // expect: race/no-unlocked-read-before-write
    }
  });
}
