// Deleting an account through a `getDb()` factory: sessions of a half-deleted user keep
// working if the second statement fails.
import { eq } from "drizzle-orm";

import { getDb } from "../../_support/db";
import { notifications, users } from "../../_support/schema";

export async function deleteAccount(userId: string) {
  await getDb().delete(notifications).where(eq(notifications.userId, userId));
  await getDb().delete(users).where(eq(users.id, userId)); // expect: race/no-split-db-writes
}
