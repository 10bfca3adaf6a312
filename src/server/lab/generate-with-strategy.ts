import { randomUUID } from "node:crypto";

import type { WelcomeResetStrategy } from "~/lib/lab";
import type { Database } from "~/server/db";
import { generateSceneProps, type ModelCall } from "~/server/services/brain/model";
import { claimExchange } from "~/server/services/generation/claim";
import { failExchange, markBuilding, type GenerationResult } from "~/server/services/generation/exchange";
import { requireOwnedProject } from "~/server/services/projects";
import { generateHoldingLock } from "./lock-across-model-call";
import { welcomeResetStrategies } from "./welcome-reset";

export interface LabGenerationRequest {
  userId: string;
  projectId: string;
  prompt: string;
  strategy: WelcomeResetStrategy;
}

/**
 * The Race Lab's generation: the app's claim and model steps, then the chosen
 * strategy's apply step. Every call is a new exchange (no requestId), like the
 * original code, so a double-click really sends two generations.
 */
export async function generateWithStrategy(
  db: Database,
  { userId, projectId, prompt, strategy }: LabGenerationRequest,
  modelCall: ModelCall,
): Promise<GenerationResult> {
  if (strategy === "lock-across-model-call") return generateHoldingLock(db, { userId, projectId, prompt }, modelCall);
  const projectAtStart = await requireOwnedProject(db, userId, projectId);
  const { userMessage, assistantMessage } = await claimExchange(db, {
    userId,
    projectId,
    prompt,
    requestId: randomUUID(),
  });
  try {
    await markBuilding(db, assistantMessage.id);
    await modelCall(prompt);
    const applied = await welcomeResetStrategies[strategy]({
      db,
      userId,
      projectId,
      assistantMessageId: assistantMessage.id,
      props: generateSceneProps(prompt),
      projectAtStart,
    });
    return { userMessage, ...applied, replayed: false };
  } catch (error) {
    await failExchange(db, assistantMessage.id, `Lab strategy "${strategy}" failed: ${String(error)}`);
    throw error;
  }
}
