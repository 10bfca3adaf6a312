/**
 * ❌ BROKEN ON PURPOSE (Race Lab). The original welcome reset from the design note:
 * it decides from the project read when the request started, seconds before, and then
 * writes with separate awaits, deleting every scene of the project. Double-click
 * "Generate": request B, still holding its stale `isWelcome = true`, deletes the scene
 * request A just made. Do not copy. The fix is src/server/services/generation/apply.ts.
 */
import { eq } from "drizzle-orm";

import { projects, scenes } from "~/server/db/schema";
import { completeExchange } from "~/server/services/generation/exchange";
import { insertSceneAtEnd } from "~/server/services/scenes";
import type { LabApply } from "./types";

export const applyNaive: LabApply = async ({ db, projectId, assistantMessageId, props, projectAtStart }) => {
  if (projectAtStart.isWelcome) {
    await db.update(projects).set({ isWelcome: false }).where(eq(projects.id, projectId));
    await db.delete(scenes).where(eq(scenes.projectId, projectId));
  }
  const scene = await insertSceneAtEnd(db, projectId, props);
  const assistantMessage = await completeExchange(db, assistantMessageId, {
    scene,
    reply: `Added a scene: “${props.title}”.`,
  });
  return { assistantMessage, scene };
};
