/**
 * Registers the scene tools once per process. The in-flight promise lives on
 * `globalThis` beside the registry, so concurrent callers share one initialization
 * and a re-evaluated copy of this module (hot reload) finds it already done.
 * Called from src/instrumentation.ts at start-up and awaited by the orchestrator.
 * See docs/patterns/tool-registry.md.
 */
import { getToolRegistry, type ToolRegistry } from "./tools/registry";
import type { SceneTool } from "./tools/types";
import { sceneTools } from "./tools";

const INIT_KEY = Symbol.for("race-safe.brain.tools-initialized");
const processGlobal = globalThis as { [INIT_KEY]?: Promise<ToolRegistry> };

export function initializeTools(): Promise<ToolRegistry> {
  processGlobal[INIT_KEY] ??= registerSceneTools().catch((error: unknown) => {
    processGlobal[INIT_KEY] = undefined;
    throw error;
  });
  return processGlobal[INIT_KEY];
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
