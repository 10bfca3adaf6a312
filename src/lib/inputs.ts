import { z } from "zod";

import { userText } from "./text";

/** Input schemas shared by the routers and the forms that call them. */

/**
 * The largest value of a PostgreSQL `integer` (int4) column. Every integer input that
 * reaches one is bounded by it, so an out-of-range number is a BAD_REQUEST with the
 * field's name, not a database error (issue 12, item 3).
 */
export const INT4_MAX = 2_147_483_647;

/**
 * The most procedure calls one HTTP request may batch. The route handler refuses a
 * larger batch with BAD_REQUEST (src/server/api/batch-limit.ts); the app's own client
 * splits its batches at this size (src/trpc/react.tsx, `maxItems`).
 */
export const MAX_BATCH_SIZE = 10;

/** A row version (optimistic locking): a positive int4. */
export const versionSchema = z
  .number()
  .int()
  .min(1, "A version starts at 1")
  .max(INT4_MAX, `A version is at most ${INT4_MAX}`);
export const projectTitleSchema = userText()
  .min(1, "Title cannot be empty")
  .max(120, "Title can be at most 120 characters");

export const projectIdInput = z.object({ projectId: z.uuid() });

export const promptSchema = userText()
  .min(1, "Describe the scene you want")
  .max(2000, "A prompt can be at most 2000 characters");

/** Strict: unknown keys (such as the lab's `latencyMs`) are rejected, not ignored. */
export const generateSceneInput = z.strictObject({
  projectId: z.uuid(),
  prompt: promptSchema,
  requestId: z.uuid(),
});

export const DEFAULT_PROJECT_TITLE = "Untitled video";
