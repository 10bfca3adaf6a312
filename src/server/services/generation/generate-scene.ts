import { eq } from "drizzle-orm";

import { env } from "~/env";
import type { Database } from "~/server/db";
import { databaseFailureOf } from "~/server/db/errors";
import { messages, type Message } from "~/server/db/schema";
import { simulatedModelCall, type ModelCall } from "~/server/services/brain/model";
import { ToolInputError } from "~/server/services/brain/tools/types";
import { DomainError } from "~/server/services/errors";
import { applyGeneration } from "./apply";
import { claimExchange, type GenerationRequest } from "./claim";
import {
  failExchange,
  isUnfinished,
  markBuilding,
  ReplyNotOpenError,
  sceneOf,
  type GenerateSceneResult,
} from "./exchange";
import { planGeneration } from "./plan";
import { holdExchangeLease, INTERRUPTED_REPLY, recordFailure } from "./recovery";

export interface GenerationOptions {
  /** The slow model step; defaults to a sleep of GENERATION_LATENCY_MS. */
  modelCall?: ModelCall;
}

/**
 * One chat prompt → one scene change: claim (locked, short), think (slow, no lock),
 * apply (locked, short). Safe to call twice with the same requestId and prompt,
 * concurrently or later: the second call generates nothing and answers the first call's
 * exchange (`replayed`), `inFlight` while the first call is still making it. The same
 * requestId with another prompt is refused (UNPROCESSABLE_CONTENT).
 */
export async function generateScene(
  db: Database,
  request: GenerationRequest,
  { modelCall = simulatedModelCall(env.GENERATION_LATENCY_MS) }: GenerationOptions = {},
): Promise<GenerateSceneResult> {
  const claim = await claimExchange(db, request);
  const { userMessage } = claim;
  if (claim.status === "in-flight" || claim.status === "finished") {
    return replayOf(db, userMessage, claim.assistantMessage);
  }

  const { id: assistantMessageId, attempt } = claim.assistantMessage;
  const releaseLease = holdExchangeLease(db, assistantMessageId, attempt);
  try {
    await markBuilding(db, assistantMessageId, attempt);
    const plan = await planGeneration(db, { ...request, prompt: userMessage.content }, modelCall);
    const applied = await applyGeneration(db, { ...request, assistantMessageId, attempt, plan });
    return { userMessage, ...applied, replayed: false, inFlight: false };
  } catch (error) {
    // The reply is no longer this run's (it expired and a retry took it over, or finished
    // it): nothing of this run was written; answer with the exchange as it stands. Still
    // unfinished means its lease ran out while this run stalled: record the interruption
    // the chat already shows.
    if (ReplyNotOpenError.is(error) && error.current) {
      const current = isUnfinished(error.current)
        ? ((await failExchange(db, assistantMessageId, INTERRUPTED_REPLY, attempt)) ?? error.current)
        : error.current;
      return replayOf(db, userMessage, current);
    }
    const failed = await recordFailure(db, assistantMessageId, failureReason(error), attempt).then(
      (assistantMessage) => (assistantMessage === "later" ? undefined : { assistantMessage }),
      (failure: unknown) => {
        console.error(`[generation] could not mark ${assistantMessageId} as failed`, failure);
        return undefined;
      },
    );
    if (failed?.assistantMessage && ToolInputError.is(error)) {
      return { userMessage, assistantMessage: failed.assistantMessage, scene: null, replayed: false, inFlight: false };
    }
    if (failed && !failed.assistantMessage) {
      // Not ours to fail either: a retry owns it now, or it was already finished.
      const current = await currentReply(db, assistantMessageId).catch(() => undefined);
      if (current) return replayOf(db, userMessage, current);
    }
    throw error;
  } finally {
    releaseLease();
  }
}

async function currentReply(db: Database, assistantMessageId: string) {
  const [reply] = await db.select().from(messages).where(eq(messages.id, assistantMessageId));
  return reply;
}

/** A request that generated nothing answers with the exchange as it is now. */
async function replayOf(db: Database, userMessage: Message, assistantMessage: Message): Promise<GenerateSceneResult> {
  const inFlight = isUnfinished(assistantMessage);
  const scene = inFlight ? null : await sceneOf(db, assistantMessage);
  return { userMessage, assistantMessage, scene, replayed: true, inFlight };
}

function failureReason(error: unknown) {
  if (ToolInputError.is(error) || DomainError.is(error)) return error.message;
  return databaseFailureOf(error)?.message ?? "Something went wrong while generating. Try again.";
}
