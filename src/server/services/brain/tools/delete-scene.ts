import { eq } from "drizzle-orm";

import { messages, scenes } from "~/server/db/schema";
import { sceneAtPosition } from "~/server/services/scenes";
import type { SceneTool } from "./types";

const DELETE_REQUEST = /\b(?:delete|remove)\b[\s\S]*?\bscene\s+(\d{1,4})\b/i;

export const deleteSceneTool: SceneTool = {
  name: "deleteScene",
  description: "Remove a scene: “delete scene 3”.",
  plan: (prompt) => {
    const match = DELETE_REQUEST.exec(prompt);
    if (!match) return null;
    const position = Number(match[1]);
    return {
      tool: "deleteScene",
      input: { position },
      apply: async (tx, project) => {
        const target = await sceneAtPosition(tx, project.id, position);
        // Earlier replies stop linking to a scene the user asked to remove; only a lost
        // scene leaves a dangling link, which is what the race tests look for.
        await tx.update(messages).set({ sceneId: null }).where(eq(messages.sceneId, target.id));
        await tx.delete(scenes).where(eq(scenes.id, target.id));
        return { scene: null, reply: `Deleted scene ${position} (“${target.name}”).` };
      },
    };
  },
};
