// The callback's parameter is named `db`: inside, `db` is the transaction.
import { eq } from "drizzle-orm";

import { getDb } from "../../_support/db";
import { auditLog, projects } from "../../_support/schema";

export function archive(actorId: string, projectId: string) {
  return getDb().transaction(async (db) => {
    await db.update(projects).set({ status: "archived" }).where(eq(projects.id, projectId));
    await db.insert(auditLog).values({ actorId, action: "project.archive" });
  });
}
