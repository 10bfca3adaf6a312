// Accepting an invite: the member row is inserted inside an `if`, and the invite is
// marked accepted after it, so on that path both writes run, as two statements.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { invites, members } from "../../_support/schema";

export async function acceptInvite(invite: { id: string; projectId: string }, userId: string, isNewMember: boolean) {
  if (isNewMember) {
    await db.insert(members).values({ projectId: invite.projectId, userId, role: "editor" });
  }
  await db.update(invites).set({ acceptedAt: new Date() }).where(eq(invites.id, invite.id)); // expect: race/no-split-db-writes
}
