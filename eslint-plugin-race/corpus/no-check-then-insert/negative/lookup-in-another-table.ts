// The lookup is of the user, the insert into notifications: no key is being claimed.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { notifications, users } from "../../_support/schema";

export async function notify(userId: string, kind: string) {
  const [user] = await db.select({ id: users.id }).from(users).where(eq(users.id, userId));
  if (!user) return;
  await db.insert(notifications).values({ userId: user.id, kind });
}
