// A bare builder statement (the `await` was forgotten): the audit row is never written.
import { db } from "../../_support/db";
import { auditLog } from "../../_support/schema";

export async function recordExport(actorId: string, projectId: string) {
  db.insert(auditLog).values({ actorId, action: "project.export", targetId: projectId }); // expect: race/no-unawaited-write
  return { ok: true };
}
