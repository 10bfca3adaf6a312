// Each `case` ends in `break` or `return`: one write per call, whichever status it is.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { jobs } from "../../_support/schema";

export async function settleJob(jobId: string, outcome: "done" | "retry" | "drop") {
  switch (outcome) {
    case "done":
      await db.update(jobs).set({ status: "done" }).where(eq(jobs.id, jobId));
      break;
    case "retry":
      await db.update(jobs).set({ status: "queued", runAt: new Date(Date.now() + 60_000) }).where(eq(jobs.id, jobId));
      return "retrying";
    case "drop":
      await db.delete(jobs).where(eq(jobs.id, jobId));
      break;
  }
  return outcome;
}
