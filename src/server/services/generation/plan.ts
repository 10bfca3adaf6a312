import type { Database } from "~/server/db";
import type { ModelCall } from "~/server/services/brain/model";
import { Orchestrator } from "~/server/services/brain/orchestrator";
import type { ToolPlan } from "~/server/services/brain/tools/types";
import { readProjectWithScenes } from "~/server/services/projects";

/**
 * Step 2, the slow part: no transaction and no lock. Reads the storyboard, waits for
 * the model, and lets the orchestrator pick a tool. Nothing decided here is trusted in
 * step 3 without re-reading under the lock.
 */
export async function planGeneration(
  db: Database,
  { userId, projectId, prompt }: { userId: string; projectId: string; prompt: string },
  modelCall: ModelCall,
): Promise<ToolPlan> {
  const storyboard = await readProjectWithScenes(db, userId, projectId);
  await modelCall(prompt);
  return new Orchestrator().decide(prompt, storyboard);
}
