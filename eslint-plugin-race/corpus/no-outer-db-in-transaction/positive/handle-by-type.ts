// corpus: typed-only
// A handle kept in an object under a name the rule does not know: its type
// (PgDatabase, not PgTransaction) says it is the pool.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { auditLog, projects } from "../../_support/schema";

const services = { store: db };

export function archive(actorId: string, projectId: string) {
  return services.store.transaction(async (tx) => {
    await tx.update(projects).set({ status: "archived" }).where(eq(projects.id, projectId));
    await services.store.insert(auditLog).values({ actorId, action: "project.archive" }); // expect: race/no-outer-db-in-transaction
  });
}
