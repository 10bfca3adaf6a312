// Deliberately after the response, through `after()`: the platform keeps the function
// alive until it finishes.
import { db } from "../../_support/db";
import { auditLog } from "../../_support/schema";
import { after, logger } from "../../_support/services";

export function recordView(actorId: string, projectId: string) {
  after(() => {
    db.insert(auditLog)
      .values({ actorId, action: "project.view", targetId: projectId })
      .catch((error: unknown) => logger.error("audit insert failed", error));
  });
}
