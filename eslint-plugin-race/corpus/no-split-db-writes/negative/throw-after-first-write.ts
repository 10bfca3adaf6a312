// A failed check is logged and the request ends with `throw`: the update after the `if`
// never runs on that path.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { auditLog, users } from "../../_support/schema";
import { TRPCError } from "../../_support/trpc";

export async function changeEmail(user: { id: string; isBanned: boolean }, email: string) {
  if (user.isBanned) {
    await db.insert(auditLog).values({ actorId: user.id, action: "email.change.refused" });
    throw new TRPCError({ code: "FORBIDDEN" });
  }
  await db.update(users).set({ email }).where(eq(users.id, user.id));
}
