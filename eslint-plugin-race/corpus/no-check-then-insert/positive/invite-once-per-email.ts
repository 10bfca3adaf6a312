// A transaction does not stop it: under READ COMMITTED both transactions see no invite
// for the email, and both insert one.
import { and, eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { invites } from "../../_support/schema";

export function inviteOnce(projectId: string, email: string, token: string) {
  return db.transaction(async (tx) => {
    const [pending] = await tx
      .select({ id: invites.id })
      .from(invites)
      .where(and(eq(invites.projectId, projectId), eq(invites.email, email)));
    if (!pending) await tx.insert(invites).values({ projectId, email, token }); // expect: race/no-check-then-insert
  });
}
