// A relational query on `db` inside the transaction: it misses the transaction's writes.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { users } from "../../_support/schema";

export function rename(userId: string, name: string) {
  return db.transaction(async (tx) => {
    await tx.update(users).set({ name }).where(eq(users.id, userId));
    return db.query.users.findFirst({ where: eq(users.id, userId) }); // expect: race/no-outer-db-in-transaction
  });
}
