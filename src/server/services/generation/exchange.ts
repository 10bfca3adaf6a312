import { and, eq, gte, inArray, lt, sql, type SQL } from "drizzle-orm";

import { env } from "~/env";
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

/** What `generateScene` answers: a replay also says whether the exchange is still being made. */
export interface GenerateSceneResult extends GenerationResult {
  /**
   * True when this answer is a replay of an exchange another request is still making
   * (its reply is pending or building): not an error, and not the result yet. The
   * original request answers with the result; the chat shows it when it lands.
   */
  inFlight: boolean;
}

/** An exchange whose reply is still being made. */
export const unfinished = inArray(messages.status, ["pending", "building"]);

export const isUnfinished = (message: Pick<Message, "status">) =>
  message.status === "pending" || message.status === "building";

const leaseStart = sql`now() - make_interval(secs => ${env.EXCHANGE_LEASE_MS / 1000})`;

/**
 * An unfinished reply whose lease ran out, by the database's clock: its run stopped (or
 * stalled past the lease). The chat shows it interrupted, and it can no longer complete.
 */
export const interrupted = and(unfinished, lt(messages.updatedAt, leaseStart)) as SQL;

/** The reply's lease is still running (its run renewed it within the lease). */
export const leaseLive = gte(messages.updatedAt, leaseStart);

/**
 * The reply a run owns: its id and the attempt its claim got. A retry increments the
 * attempt, so a run that was expired and retried (a late original) matches nothing.
 * Without an attempt (the Race Lab, which never retries) only the status is checked.
 */
function ownedReply(assistantMessageId: string, attempt: number | undefined): SQL {
  const reply = and(eq(messages.id, assistantMessageId), unfinished);
  return (attempt === undefined ? reply : and(reply, eq(messages.attempt, attempt))) as SQL;
}

export async function markBuilding(db: Database, assistantMessageId: string, attempt?: number) {
  await db.update(messages).set({ status: "building" }).where(ownedReply(assistantMessageId, attempt));
}

/**
 * Thrown by `completeExchange` when the reply is no longer this run's to complete: it is
 * finished or failed already (a lease expiry marked it failed, a retry completed it), or a
 * retry took it over (another attempt). The surrounding apply transaction rolls back, so
 * nothing of this run is written. `current` is the reply as it is now.
 */
const REPLY_NOT_OPEN = Symbol.for("race-safe.generation.reply-not-open");

export class ReplyNotOpenError extends Error {
  readonly [REPLY_NOT_OPEN] = true;
  readonly current: Message | undefined;
  constructor(assistantMessageId: string, attempt: number | undefined, current: Message | undefined) {
    const found = current
      ? `it is ${current.status} at attempt ${current.attempt}` + (attempt === undefined ? "" : `, this run holds attempt ${attempt}`)
      : "it no longer exists";
    super(`assistant message ${assistantMessageId} is not open for this run to complete: ${found}`);
    this.name = "ReplyNotOpenError";
    this.current = current;
  }

  /** By brand, not `instanceof`: like ToolInputError, it may come from another bundle's copy. */
  static is(error: unknown): error is ReplyNotOpenError {
    return typeof error === "object" && error !== null && REPLY_NOT_OPEN in error;
  }
}

/**
 * Completes the reply only if it is still unfinished (pending or building) and, given an
 * attempt, still this run's with its lease running. Otherwise throws `ReplyNotOpenError`: a
 * late original whose reply was retried, or whose lease ran out while the chat already
 * showed it interrupted, can never also apply (issue 12, item 10c).
 */
export async function completeExchange(tx: Executor, assistantMessageId: string, result: ToolResult, attempt?: number) {
  const owned = ownedReply(assistantMessageId, attempt);
  const [assistantMessage] = await tx
    .update(messages)
    .set({ status: "success", content: result.reply, sceneId: result.scene?.id ?? null, error: null })
    .where(attempt === undefined ? owned : and(owned, leaseLive))
    .returning();
  if (assistantMessage) return assistantMessage;
  const [current] = await tx.select().from(messages).where(eq(messages.id, assistantMessageId));
  throw new ReplyNotOpenError(assistantMessageId, attempt, current);
}

/**
 * Marks an unfinished exchange failed, with text the chat can show beside "Retry". Given an
 * attempt, only that attempt's: a late original cannot fail the retry that replaced it.
 * Returns nothing when the reply was not this run's to fail.
 */
export async function failExchange(db: Database, assistantMessageId: string, reason: string, attempt?: number) {
  const [assistantMessage] = await db
    .update(messages)
    .set({ status: "error", content: reason, error: reason })
    .where(ownedReply(assistantMessageId, attempt))
    .returning();
  return assistantMessage;
}

export async function sceneOf(db: Database, message: Message) {
  if (!message.sceneId) return null;
  const [scene] = await db.select().from(scenes).where(eq(scenes.id, message.sceneId));
  return scene ?? null;
}
