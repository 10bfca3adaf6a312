// An invite is created, emailed, then marked as sent: the email in between makes these
// phases (no transaction may span an email), not one unit.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { invites } from "../../_support/schema";
import { sendEmail } from "../../_support/services";

export async function invite(projectId: string, email: string, token: string) {
  const [created] = await db.insert(invites).values({ projectId, email, token }).returning();
  if (!created) throw new Error("insert returned no row");
  await sendEmail(email, "invite", { token });
  await db.update(invites).set({ sentAt: new Date() }).where(eq(invites.id, created.id));
}
