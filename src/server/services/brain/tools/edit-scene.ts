import { scenePropsSchema } from "~/lib/scene-props";
import { scenePatchFromPrompt } from "~/server/services/generation/scene-generator";
import { sceneAtPosition, updateSceneProps } from "~/server/services/scenes";
import { ToolInputError, type SceneTool } from "./types";

const EDIT_REQUEST = /\b(?:make|change|edit|set|update|turn|rename)\b[\s\S]*?\bscene\s+(\d{1,4})\b/i;

export const editSceneTool: SceneTool = {
  name: "editScene",
  description: "Change a scene's colour, title, speed or animation: “make scene 2 blue”.",
  plan: (prompt) => {
    const match = EDIT_REQUEST.exec(prompt);
    if (!match) return null;
    const position = Number(match[1]);
    const patch = scenePatchFromPrompt(prompt);
    return {
      tool: "editScene",
      input: { position, patch },
      apply: async (tx, project) => {
        if (Object.keys(patch).length === 0) {
          throw new ToolInputError(
            `Tell me what to change in scene ${position}: a colour, a 'quoted title', fast or slow, or fade/slide/zoom.`,
          );
        }
        const target = await sceneAtPosition(tx, project.id, position);
        const props = scenePropsSchema.parse({ ...target.props, ...patch });
        const scene = await updateSceneProps(tx, target, props);
        if (!scene) throw new ToolInputError(`Scene ${position} was edited while I was working. Try again.`);
        return { scene, reply: `Updated scene ${position}.` };
      },
    };
  },
};
