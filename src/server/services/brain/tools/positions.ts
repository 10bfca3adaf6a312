import type { Scene } from "~/server/db/schema";
import { ToolInputError, type Storyboard, type ToolPlan } from "./types";

/**
 * "Scene 2" as the user counts (the second scene by order) in the storyboard the model
 * saw. The tools then write to that scene's id at that scene's version, so a scene
 * that moved, changed or vanished during the model call is reported, not overwritten.
 */
export function sceneAtPosition(storyboard: Storyboard, position: number): Scene | undefined {
  return storyboard.scenes[position - 1];
}

/** A plan that answers, in the chat, that there is no such scene. */
export function noSceneAt(tool: string, storyboard: Storyboard, position: number): ToolPlan {
  const count = storyboard.scenes.length === 1 ? "1 scene" : `${storyboard.scenes.length} scenes`;
  return {
    tool,
    input: { position },
    apply: () => Promise.reject(new ToolInputError(`There is no scene ${position}: the project has ${count}.`)),
  };
}

export function changedMeanwhile(position: number, what: "changed" | "deleted") {
  return (
    `Scene ${position} was changed by someone else while I was working, so nothing was ${what}. ` +
    "Retry to apply your request to the scene as it is now."
  );
}
