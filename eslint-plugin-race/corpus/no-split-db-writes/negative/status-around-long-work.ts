// Two status writes to one row around a long job. "running" is meant to be seen while
// the job runs; holding a transaction open across the job would be the bug.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { jobs } from "../../_support/schema";
import { runJob } from "../../_support/services";

export async function execute(job: { id: string; kind: string; payload: unknown }) {
  await db.update(jobs).set({ status: "running" }).where(eq(jobs.id, job.id));
  const result = await runJob(job.kind, job.payload);
  await db.update(jobs).set({ status: "done", result }).where(eq(jobs.id, job.id));
}
