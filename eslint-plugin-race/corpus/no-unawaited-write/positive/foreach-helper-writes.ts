// The writes are in a helper handed the handle, called from `forEach`: the same problem.
import { db, type Database } from "../../_support/db";
import { notifications } from "../../_support/schema";

async function createNotification(database: Database, userId: string, kind: string) {
  await database.insert(notifications).values({ userId, kind });
}

export async function notifyAll(userIds: string[]) {
  userIds.forEach(async (userId) => { // expect: race/no-unawaited-write
    await createNotification(db, userId, "release");
  });
}
