// The fix for two related writes: both on the transaction's handle.
import { db } from "../../_support/db";
import { projects, scenes } from "../../_support/schema";

export function createProject(ownerId: string, title: string) {
  return db.transaction(async (tx) => {
    const [project] = await tx.insert(projects).values({ ownerId, title }).returning();
    if (!project) throw new Error("insert returned no row");
    await tx.insert(scenes).values({ projectId: project.id, order: 0, kind: "welcome", name: "Welcome" });
    return project;
  });
}
