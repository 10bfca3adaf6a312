// One transaction per item, in parallel: each has its own connection.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { jobs } from "../../_support/schema";

export async function requeue(ids: string[]) {
  await Promise.all(
    ids.map((id) =>
      db.transaction(async (tx) => {
        await tx.update(jobs).set({ status: "queued" }).where(eq(jobs.id, id));
        await tx.update(jobs).set({ attempts: 0 }).where(eq(jobs.id, id));
      }),
    ),
  );
}
