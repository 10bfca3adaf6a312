// A lease renewed from a timer: off the request path by design, and a missed renewal
// is only logged (the lease is what tolerates it).
import { eq, sql } from "drizzle-orm";

import { db } from "../../_support/db";
import { jobs } from "../../_support/schema";
import { logger } from "../../_support/services";

export function holdLease(jobId: string): () => void {
  const timer = setInterval(() => {
    db.update(jobs)
      .set({ runAt: sql`now() + interval '30 seconds'` })
      .where(eq(jobs.id, jobId))
      .catch((error: unknown) => logger.error(`lease renewal for ${jobId} failed`, error));
  }, 10_000);
  return () => clearInterval(timer);
}
