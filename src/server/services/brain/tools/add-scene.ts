import type { SceneProps } from "~/lib/scene-props";
import { generateSceneProps } from "~/server/services/brain/model";
import { insertSceneAtEnd } from "~/server/services/scenes";
import type { SceneTool, ToolPlan } from "./types";

export function planAddScene(props: SceneProps): ToolPlan {
  return {
    tool: "addScene",
    input: { props },
    apply: async (tx, project) => {
      const scene = await insertSceneAtEnd(tx, project.id, props);
      return { scene, reply: `Added a scene: “${props.title}”.` };
    },
  };
}

export const addSceneTool: SceneTool = {
  name: "addScene",
  description: "Add a new scene at the end of the video (the default).",
  plan: (prompt) => planAddScene(generateSceneProps(prompt)),
};
