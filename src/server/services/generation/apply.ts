import { and, eq } from "drizzle-orm";

import type { Database } from "~/server/db";
import { projects, scenes } from "~/server/db/schema";
import { withTransaction, type Transaction } from "~/server/db/tx";
import type { ToolPlan } from "~/server/services/brain/tools/types";
import { lockProject, projectLockKey } from "~/server/services/projects";
import { completeExchange } from "./exchange";

export interface ApplyRequest {
  userId: string;
  projectId: string;
  assistantMessageId: string;
  /**
   * The attempt the claim gave this run: the reply is completed only if it is still this
   * one's. generateScene always passes it; only the Race Lab's `locked` strategy (whose
   * exchanges are never retried) leaves it out, and then only the status is checked.
   */
  attempt?: number;
  plan: ToolPlan;
}

/**
 * Step 3, a short transaction: lock the project row, decide the welcome reset from
 * that locked row, run the tool's write, and complete the assistant message. Two
 * requests for one project take turns here, for milliseconds; the second sees the
 * first one's committed scene and `isWelcome = false`. A run whose reply is no longer open
 * (expired and retried meanwhile) gets ReplyNotOpenError and the whole step rolls back.
 */
export function applyGeneration(db: Database, { userId, projectId, assistantMessageId, attempt, plan }: ApplyRequest) {
  return withTransaction(
    db,
    async (tx) => {
      const project = await lockProject(tx, userId, projectId);
      if (project.isWelcome) await resetWelcomeScene(tx, project.id);

      const result = await plan.apply(tx, { ...project, isWelcome: false });
      const assistantMessage = await completeExchange(tx, assistantMessageId, result, attempt);
      return { assistantMessage, scene: result.scene };
    },
    { lockKey: projectLockKey(projectId) },
  );
}

/** Clears the flag and removes the welcome scene, and only that scene. Caller holds the lock. */
export async function resetWelcomeScene(tx: Transaction, projectId: string) {
  await tx.update(projects).set({ isWelcome: false }).where(eq(projects.id, projectId));
  await tx.delete(scenes).where(and(eq(scenes.projectId, projectId), eq(scenes.kind, "welcome")));
}
