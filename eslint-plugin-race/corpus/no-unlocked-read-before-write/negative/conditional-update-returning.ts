// The fix: the condition is in the UPDATE's WHERE, and `.returning()` says whether this
// request made the change; the delete that depends on it runs in the same transaction.
import { and, eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { projects, scenes } from "../../_support/schema";

export function resetWelcome(projectId: string) {
  return db.transaction(async (tx) => {
    const cleared = await tx
      .update(projects)
      .set({ isWelcome: false })
      .where(and(eq(projects.id, projectId), eq(projects.isWelcome, true)))
      .returning({ id: projects.id });
    if (cleared.length > 0) {
      await tx.delete(scenes).where(and(eq(scenes.projectId, projectId), eq(scenes.kind, "welcome")));
    }
  });
}
