import { addSceneTool } from "./add-scene";
import { deleteSceneTool } from "./delete-scene";
import { editSceneTool } from "./edit-scene";
import type { SceneTool } from "./types";

/** In the order the orchestrator tries them; addScene accepts any prompt, so it is last. */
export const sceneTools: readonly SceneTool[] = [deleteSceneTool, editSceneTool, addSceneTool];
