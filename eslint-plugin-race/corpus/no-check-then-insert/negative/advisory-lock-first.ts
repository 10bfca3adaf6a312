// An advisory transaction lock on the key serializes the lookup and the insert.
import { and, eq, sql } from "drizzle-orm";

import { db } from "../../_support/db";
import { invites } from "../../_support/schema";

export function inviteOnce(projectId: string, email: string, token: string) {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`${projectId}:${email}`}))`);
    const [pending] = await tx.select().from(invites).where(and(eq(invites.projectId, projectId), eq(invites.email, email)));
    if (!pending) await tx.insert(invites).values({ projectId, email, token });
  });
}
