import { and, eq, inArray } from "drizzle-orm";

import type { Database } from "~/server/db";
import { messages, scenes, type Message, type Scene } from "~/server/db/schema";
import type { Executor } from "~/server/db/tx";
import type { ToolResult } from "~/server/services/brain/tools/types";

/** One user message and the assistant reply to it. */
export interface Exchange {
  userMessage: Message;
  assistantMessage: Message;
}

export interface GenerationResult extends Exchange {
  scene: Scene | null;
  /** True when this request repeated an earlier requestId and generated nothing. */
  replayed: boolean;
}

/** An exchange whose reply is still being made. */
export const unfinished = inArray(messages.status, ["pending", "building"]);

export async function markBuilding(db: Database, assistantMessageId: string) {
  await db
    .update(messages)
    .set({ status: "building" })
    .where(and(eq(messages.id, assistantMessageId), unfinished));
}

export async function completeExchange(tx: Executor, assistantMessageId: string, result: ToolResult) {
  const [assistantMessage] = await tx
    .update(messages)
    .set({ status: "success", content: result.reply, sceneId: result.scene?.id ?? null, error: null })
    .where(eq(messages.id, assistantMessageId))
    .returning();
  if (!assistantMessage) throw new Error(`assistant message ${assistantMessageId} disappeared`);
  return assistantMessage;
}

/** Marks an unfinished exchange failed, with text the chat can show beside "Retry". */
export async function failExchange(db: Database, assistantMessageId: string, reason: string) {
  const [assistantMessage] = await db
    .update(messages)
    .set({ status: "error", content: reason, error: reason })
    .where(and(eq(messages.id, assistantMessageId), unfinished))
    .returning();
  return assistantMessage;
}

export async function sceneOf(db: Database, message: Message) {
  if (!message.sceneId) return null;
  const [scene] = await db.select().from(scenes).where(eq(scenes.id, message.sceneId));
  return scene ?? null;
}
