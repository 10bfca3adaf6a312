/**
 * Registers the scene tools once per process. The in-flight promise is a process slot
 * beside the registry (~/server/process-singleton), so concurrent callers share one
 * initialization and a re-evaluated copy of this module (hot reload) finds it already done.
 * Called from src/instrumentation.ts at start-up and awaited by the orchestrator.
 * See docs/patterns/tool-registry.md.
 */
import { processSlot } from "~/server/process-singleton";
import { getToolRegistry, type ToolRegistry } from "./tools/registry";
import type { SceneTool } from "./tools/types";
import { sceneTools } from "./tools";

const initialization = processSlot<Promise<ToolRegistry>>("race-safe.brain.tools-initialized");

export function initializeTools(): Promise<ToolRegistry> {
  return initialization.getOrCreate(() =>
    registerSceneTools().catch((error: unknown) => {
      initialization.set(undefined);
      throw error;
    }),
  );
}

/**
 * All or nothing: a failure part-way takes back what this attempt registered, so a retry
 * (from this copy of the module or another one, with other tool objects) starts clean.
 */
async function registerSceneTools() {
  const registry = getToolRegistry();
  const added: SceneTool[] = [];
  try {
    for (const tool of sceneTools) if (registry.register(tool)) added.push(tool);
  } catch (error) {
    for (const tool of added) registry.unregister(tool);
    throw error;
  }
  return registry;
}
