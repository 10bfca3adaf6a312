// The design note's welcome reset: decided from the project the request loaded when it
// started, then two separate writes. A second request can run between them, and both
// act on the same stale `isWelcome`.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { projects, scenes } from "../../_support/schema";

export async function resetWelcome(project: { id: string; isWelcome: boolean }) {
  if (project.isWelcome) {
    await db.update(projects).set({ isWelcome: false }).where(eq(projects.id, project.id));
    await db.delete(scenes).where(eq(scenes.projectId, project.id)); // expect: race/no-split-db-writes
  }
}
