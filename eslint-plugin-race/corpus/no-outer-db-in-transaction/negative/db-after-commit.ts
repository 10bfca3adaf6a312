// `db` after the transaction has committed: a read of the committed state.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { members, projects } from "../../_support/schema";

export async function join(projectId: string, userId: string) {
  await db.transaction(async (tx) => {
    await tx.insert(members).values({ projectId, userId, role: "viewer" });
  });
  return db.select().from(projects).where(eq(projects.id, projectId));
}
