// An event handler is off the request path: a failed write is logged there.
import { EventEmitter } from "node:events";

import { db } from "../../_support/db";
import { auditLog } from "../../_support/schema";
import { logger } from "../../_support/services";

export const events = new EventEmitter();

events.on("signup", (userId: string) => {
  db.insert(auditLog)
    .values({ actorId: userId, action: "signup" })
    .catch((error: unknown) => logger.error("audit insert failed", error));
});
