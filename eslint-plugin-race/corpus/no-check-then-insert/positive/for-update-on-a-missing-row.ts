// `FOR UPDATE` on the lookup locks nothing when the row is not there yet, which is the
// case the insert is for.
import { and, eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { members } from "../../_support/schema";

export function join(projectId: string, userId: string) {
  return db.transaction(async (tx) => {
    const [member] = await tx
      .select()
      .from(members)
      .where(and(eq(members.projectId, projectId), eq(members.userId, userId)))
      .for("update");
    if (member) return member;
    const [created] = await tx.insert(members).values({ projectId, userId, role: "viewer" }).returning(); // expect: race/no-check-then-insert
    return created;
  });
}
