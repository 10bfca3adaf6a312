/**
 * Registers the scene tools once per process. The in-flight promise lives on
 * `globalThis` beside the registry, so concurrent callers share one initialization
 * and a re-evaluated copy of this module (hot reload) finds it already done.
 * Called from src/instrumentation.ts at start-up and awaited by the orchestrator.
 * See docs/patterns/tool-registry.md.
 */
import { getToolRegistry, type ToolRegistry } from "./tools/registry";
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

async function registerSceneTools() {
  const registry = getToolRegistry();
  for (const tool of sceneTools) registry.register(tool);
  return registry;
}
