// One write per branch: the two inserts can never run in the same call.
import { db } from "../../_support/db";
import { auditLog, notifications } from "../../_support/schema";

export async function recordLogin(userId: string, suspicious: boolean) {
  if (suspicious) {
    await db.insert(notifications).values({ userId, kind: "suspicious-login" });
  } else {
    await db.insert(auditLog).values({ actorId: userId, action: "login" });
  }
}
