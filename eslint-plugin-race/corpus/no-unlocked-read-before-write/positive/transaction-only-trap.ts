// The transaction-only trap: the writes are atomic, the decision is not. Under READ
// COMMITTED both requests read `isWelcome = true`, and the second one deletes the scene
// the first one just committed.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { projects, scenes } from "../../_support/schema";

export function applyGeneration(projectId: string, name: string) {
  return db.transaction(async (tx) => {
    const [project] = await tx.select().from(projects).where(eq(projects.id, projectId));
    if (project?.isWelcome) {
      await tx.update(projects).set({ isWelcome: false }).where(eq(projects.id, projectId)); // expect: race/no-unlocked-read-before-write
      await tx.delete(scenes).where(eq(scenes.projectId, projectId)); // expect: race/no-unlocked-read-before-write
    }
    await tx.insert(scenes).values({ projectId, order: 1, kind: "generated", name });
  });
}
