// Two workers poll at once: both select the same queued job, and both mark it running
// by id, so it runs twice.
import { asc, eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { jobs } from "../../_support/schema";

export async function pickNextJob(workerId: string) {
  const [job] = await db.select().from(jobs).where(eq(jobs.status, "queued")).orderBy(asc(jobs.runAt)).limit(1);
  if (!job) return null;
  await db.update(jobs).set({ status: "running", lockedBy: workerId }).where(eq(jobs.id, job.id)); // expect: race/no-unlocked-read-before-write
  return job;
}
