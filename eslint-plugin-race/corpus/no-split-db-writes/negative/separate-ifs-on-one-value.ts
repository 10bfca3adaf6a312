// Two `if`s testing one value against two different constants: at most one runs.
import { db } from "../../_support/db";
import { auditLog, notifications } from "../../_support/schema";

export async function onEvent(kind: "signup" | "login", userId: string) {
  if (kind === "signup") {
    await db.insert(notifications).values({ userId, kind: "welcome" });
  }
  if (kind === "login") {
    await db.insert(auditLog).values({ actorId: userId, action: "login" });
  }
}
