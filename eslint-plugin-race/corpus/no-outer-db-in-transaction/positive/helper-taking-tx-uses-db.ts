// A helper that takes the transaction but writes on the module's `db`.
import { eq, sql } from "drizzle-orm";

import { db, type Transaction } from "../../_support/db";
import { members, projects } from "../../_support/schema";

export async function addMember(tx: Transaction, projectId: string, userId: string) {
  await tx.insert(members).values({ projectId, userId, role: "editor" });
  await db // expect: race/no-outer-db-in-transaction
    .update(projects)
    .set({ memberCount: sql`${projects.memberCount} + 1` })
    .where(eq(projects.id, projectId));
}
