// Reads in parallel on one transaction gain nothing: one connection answers them in turn.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { members, projects } from "../../_support/schema";

export function loadForUpdate(projectId: string) {
  return db.transaction(async (tx) => {
    const [project, team] = await Promise.all([ // expect: race/no-parallel-tx-queries
      tx.select().from(projects).where(eq(projects.id, projectId)).for("update"),
      tx.select().from(members).where(eq(members.projectId, projectId)),
    ]);
    return { project: project[0], team };
  });
}
