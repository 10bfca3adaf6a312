import { and, eq } from "drizzle-orm";

import type { Database } from "~/server/db";
import { projects, scenes } from "~/server/db/schema";
import { withTransaction, type Transaction } from "~/server/db/tx";
import type { ToolPlan } from "~/server/services/brain/tools/types";
import { lockProject } from "~/server/services/projects";
import { completeExchange } from "./exchange";

export interface ApplyRequest {
  userId: string;
  projectId: string;
  assistantMessageId: string;
  plan: ToolPlan;
}

/**
 * Step 3, a short transaction: lock the project row, decide the welcome reset from
 * that locked row, run the tool's write, and complete the assistant message. Two
 * requests for one project take turns here, for milliseconds; the second sees the
 * first one's committed scene and `isWelcome = false`.
 */
export function applyGeneration(db: Database, { userId, projectId, assistantMessageId, plan }: ApplyRequest) {
  return withTransaction(db, async (tx) => {
    const project = await lockProject(tx, userId, projectId);
    if (project.isWelcome) await resetWelcomeScene(tx, project.id);

    const result = await plan.apply(tx, { ...project, isWelcome: false });
    const assistantMessage = await completeExchange(tx, assistantMessageId, result);
    return { assistantMessage, scene: result.scene };
  });
}

/** Clears the flag and removes the welcome scene, and only that scene. Caller holds the lock. */
export async function resetWelcomeScene(tx: Transaction, projectId: string) {
  await tx.update(projects).set({ isWelcome: false }).where(eq(projects.id, projectId));
  await tx.delete(scenes).where(and(eq(scenes.projectId, projectId), eq(scenes.kind, "welcome")));
}
