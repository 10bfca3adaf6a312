import { scenePatchFromPrompt } from "~/server/services/brain/model";
import { patchSceneVersioned } from "~/server/services/scenes";
import { changedMeanwhile, noSceneAt, sceneAtPosition } from "./positions";
import { ToolInputError, type SceneTool } from "./types";

const EDIT_REQUEST = /\b(?:make|change|edit|set|update|turn|rename)\b[\s\S]*?\bscene\s+(\d{1,4})\b/i;

export const editSceneTool: SceneTool = {
  name: "editScene",
  description: "Change a scene's colour, title, speed or animation: “make scene 2 blue”.",
  plan: (prompt, storyboard) => {
    const match = EDIT_REQUEST.exec(prompt);
    if (!match) return null;
    const position = Number(match[1]);
    const target = sceneAtPosition(storyboard, position);
    if (!target) return noSceneAt("editScene", storyboard, position);
    const patch = scenePatchFromPrompt(prompt);
    return {
      tool: "editScene",
      input: { position, sceneId: target.id, expectedVersion: target.version, patch },
      apply: async (tx, project) => {
        if (Object.keys(patch).length === 0) {
          throw new ToolInputError(
            `Tell me what to change in scene ${position}: a colour, a 'quoted title', fast or slow, or fade/slide/zoom.`,
          );
        }
        const scene = await patchSceneVersioned(tx, {
          projectId: project.id,
          sceneId: target.id,
          expectedVersion: target.version,
          patch,
        });
        if (!scene) throw new ToolInputError(changedMeanwhile(position, "changed"));
        return { scene, reply: `Updated scene ${position}.` };
      },
    };
  },
};
