// The fix: register once, at module level, into a registry kept on globalThis.
import { ToolRegistry, sceneTools } from "../../_support/registry";

const key = Symbol.for("app.tool-registry");
const holder = globalThis as { [key]?: ToolRegistry };

export function initializeTools(): ToolRegistry {
  const registry = (holder[key] ??= new ToolRegistry());
  if (registry.tools.length === 0) sceneTools.forEach((tool) => registry.register(tool));
  return registry;
}

export class Orchestrator {
  constructor(private readonly registry = initializeTools()) {}
}
