// A `case` without `break` falls through: for "delete", the scenes are removed and the
// project archived, as two statements.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { projects, scenes } from "../../_support/schema";

export async function applyAction(action: "archive" | "delete", projectId: string) {
  switch (action) {
    case "delete":
      await db.delete(scenes).where(eq(scenes.projectId, projectId));
    // falls through: a deleted project is archived too
    case "archive":
      await db.update(projects).set({ status: "archived" }).where(eq(projects.id, projectId)); // expect: race/no-split-db-writes
      break;
  }
}
