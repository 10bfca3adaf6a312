import { eq } from "drizzle-orm";

import { messages } from "~/server/db/schema";
import { deleteSceneVersioned } from "~/server/services/scenes";
import { changedMeanwhile, noSceneAt, sceneAtPosition } from "./positions";
import { ToolInputError, type SceneTool } from "./types";

const DELETE_REQUEST = /\b(?:delete|remove)\b[\s\S]*?\bscene\s+(\d{1,4})\b/i;

export const deleteSceneTool: SceneTool = {
  name: "deleteScene",
  description: "Remove a scene: “delete scene 3”.",
  plan: (prompt, storyboard) => {
    const match = DELETE_REQUEST.exec(prompt);
    if (!match) return null;
    const position = Number(match[1]);
    const target = sceneAtPosition(storyboard, position);
    if (!target) return noSceneAt("deleteScene", storyboard, position);
    return {
      tool: "deleteScene",
      input: { position, sceneId: target.id, expectedVersion: target.version },
      apply: async (tx, project) => {
        // Earlier replies stop linking to a scene the user asked to remove; only a lost
        // scene leaves a dangling link, which is what the race tests look for.
        await tx.update(messages).set({ sceneId: null }).where(eq(messages.sceneId, target.id));
        const deleted = await deleteSceneVersioned(tx, {
          projectId: project.id,
          sceneId: target.id,
          expectedVersion: target.version,
        });
        if (!deleted) throw new ToolInputError(changedMeanwhile(position, "deleted"));
        return { scene: null, reply: `Deleted scene ${position} (“${target.name}”).` };
      },
    };
  },
};
