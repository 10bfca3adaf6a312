/**
 * ✅ An equally valid fix for the welcome reset (Race Lab): a conditional UPDATE is
 * the decision. `UPDATE … WHERE is_welcome RETURNING` matches for exactly one request;
 * a concurrent one waits for its row lock, re-checks `is_welcome`, matches nothing and
 * skips the delete. The app uses the row lock instead because the same lock also
 * orders scene and message numbering (see docs/patterns/welcome-reset.md).
 */
import { and, eq } from "drizzle-orm";

import { projects, scenes } from "~/server/db/schema";
import { withTransaction } from "~/server/db/tx";
import { completeExchange } from "~/server/services/generation/exchange";
import { insertSceneAtEnd } from "~/server/services/scenes";
import type { LabApply } from "./types";

export const applyCompareAndSet: LabApply = ({ db, projectId, assistantMessageId, props }) =>
  withTransaction(db, async (tx) => {
    const cleared = await tx
      .update(projects)
      .set({ isWelcome: false })
      .where(and(eq(projects.id, projectId), eq(projects.isWelcome, true)))
      .returning({ id: projects.id });
    if (cleared.length > 0) {
      await tx.delete(scenes).where(and(eq(scenes.projectId, projectId), eq(scenes.kind, "welcome")));
    }
    const scene = await insertSceneAtEnd(tx, projectId, props);
    const assistantMessage = await completeExchange(tx, assistantMessageId, {
      scene,
      reply: `Added a scene: “${props.title}”.`,
    });
    return { assistantMessage, scene };
  });
