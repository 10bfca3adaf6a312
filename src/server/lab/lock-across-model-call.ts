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
import { generateSceneProps, type ModelCall } from "~/server/services/brain/model";
import { planAddScene } from "~/server/services/brain/tools/add-scene";
import { resetWelcomeScene } from "~/server/services/generation/apply";
import { claimInTransaction } from "~/server/services/generation/claim";
import { completeExchange, type GenerationResult } from "~/server/services/generation/exchange";
import { lockProject } from "~/server/services/projects";

/**
 * Bounds (issue 12, item 10a): every call of this strategy holds a pool connection for
 * its whole lock wait plus its model call, so both are capped. The model latency is at
 * most LOCK_ACROSS_MAX_LATENCY_MS (lab.generateScene refuses more with BAD_REQUEST and
 * clamps the server default to it), and a queued call waits at most
 * QUEUE_LOCK_TIMEOUT_MS for the lock — one model call and a margin, so a double-click
 * (B behind A) still shows the queue — then answers TOO_MANY_REQUESTS ("busy"). One call
 * holds a connection for at most ~4.5 s, where it was up to 70 s (60 s lock_timeout +
 * 10 s latency).
 */
export const LOCK_ACROSS_MAX_LATENCY_MS = 2_000;
export const QUEUE_LOCK_TIMEOUT_MS = LOCK_ACROSS_MAX_LATENCY_MS + 500;

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
      const completed = await completeExchange(tx, assistantMessage.id, result, assistantMessage.attempt);
      return { userMessage, assistantMessage: completed, scene: result.scene, replayed: false };
    },
    { lockTimeoutMs: QUEUE_LOCK_TIMEOUT_MS },
  );
}
