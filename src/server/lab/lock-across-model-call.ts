/**
 * ❌ SLOW ON PURPOSE (Race Lab). Loses nothing, but takes the project row lock in the
 * claim and keeps the transaction open through the model call, so every generation
 * of a project waits for the one before it to finish thinking: 20 prompts at 500 ms
 * take 10 s instead of 0.5 s, and a long queue hits lock_timeout. The fix takes the
 * lock twice, for milliseconds: src/server/services/generation/generate-scene.ts.
 */
import { randomUUID } from "node:crypto";

import type { Database } from "~/server/db";
import { withTransaction } from "~/server/db/tx";
import { planAddScene } from "~/server/services/brain/tools/add-scene";
import { resetWelcomeScene } from "~/server/services/generation/apply";
import { claimInTransaction } from "~/server/services/generation/claim";
import { completeExchange, type GenerationResult } from "~/server/services/generation/exchange";
import { generateSceneProps, type ModelCall } from "~/server/services/generation/scene-generator";
import { lockProject } from "~/server/services/projects";

const QUEUE_LOCK_TIMEOUT_MS = 60_000;

export function generateHoldingLock(
  db: Database,
  { userId, projectId, prompt }: { userId: string; projectId: string; prompt: string },
  modelCall: ModelCall,
): Promise<GenerationResult> {
  return withTransaction(
    db,
    async (tx) => {
      const { userMessage, assistantMessage } = await claimInTransaction(tx, {
        userId,
        projectId,
        prompt,
        requestId: randomUUID(),
      });
      await modelCall(prompt);
      const project = await lockProject(tx, userId, projectId);
      if (project.isWelcome) await resetWelcomeScene(tx, projectId);
      const result = await planAddScene(generateSceneProps(prompt)).apply(tx, project);
      const completed = await completeExchange(tx, assistantMessage.id, result);
      return { userMessage, assistantMessage: completed, scene: result.scene, replayed: false };
    },
    { lockTimeoutMs: QUEUE_LOCK_TIMEOUT_MS },
  );
}
