import { TRPCError } from "@trpc/server";

import { env } from "~/env";
import { databaseErrorToTRPC } from "~/server/api/errors";
import type { Database } from "~/server/db";
import { ToolInputError } from "~/server/services/brain/tools/types";
import { applyGeneration } from "./apply";
import { claimExchange, type GenerationRequest } from "./claim";
import { failExchange, markBuilding, sceneOf, type GenerationResult } from "./exchange";
import { planGeneration } from "./plan";
import { holdExchangeLease } from "./recovery";
import { simulatedModelCall, type ModelCall } from "./scene-generator";

export interface GenerationOptions {
  /** The slow model step; defaults to a sleep of GENERATION_LATENCY_MS. */
  modelCall?: ModelCall;
}

/**
 * One chat prompt → one scene change: claim (locked, short), think (slow, no lock),
 * apply (locked, short). Safe to call twice with the same requestId, concurrently or
 * later: the second call returns the first call's exchange.
 */
export async function generateScene(
  db: Database,
  request: GenerationRequest,
  { modelCall = simulatedModelCall(env.GENERATION_LATENCY_MS) }: GenerationOptions = {},
): Promise<GenerationResult> {
  const claim = await claimExchange(db, request);
  const { userMessage } = claim;
  if (claim.status === "existing") {
    return { ...claim, scene: await sceneOf(db, claim.assistantMessage), replayed: true };
  }

  const assistantMessageId = claim.assistantMessage.id;
  const releaseLease = holdExchangeLease(db, assistantMessageId);
  try {
    await markBuilding(db, assistantMessageId);
    const plan = await planGeneration(db, { ...request, prompt: userMessage.content }, modelCall);
    const applied = await applyGeneration(db, { ...request, assistantMessageId, plan });
    return { userMessage, ...applied, replayed: false };
  } catch (error) {
    const reason = failureReason(error);
    const assistantMessage = await failExchange(db, assistantMessageId, reason).catch((failure: unknown) => {
      console.error(`[generation] could not mark ${assistantMessageId} as failed`, failure);
      return undefined;
    });
    if (ToolInputError.is(error) && assistantMessage) {
      return { userMessage, assistantMessage, scene: null, replayed: false };
    }
    throw error;
  } finally {
    releaseLease();
  }
}

function failureReason(error: unknown) {
  if (ToolInputError.is(error) || error instanceof TRPCError) return error.message;
  return databaseErrorToTRPC(error)?.message ?? "Something went wrong while generating. Try again.";
}
