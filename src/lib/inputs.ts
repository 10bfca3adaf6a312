import { z } from "zod";

import { userText } from "./text";

/** Input schemas shared by the routers and the forms that call them. */
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
