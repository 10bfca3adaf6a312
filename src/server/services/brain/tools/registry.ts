/**
 * The tool registry: one per process (a process singleton, ~/server/process-singleton).
 * Hot reload and Next's separate server bundles evaluate this module more than once;
 * they all find the same registry, so a tool is never registered twice.
 * See docs/patterns/tool-registry.md.
 */
import { processSingleton } from "~/server/process-singleton";
import type { SceneTool } from "./types";

export class ToolRegistry {
  readonly #tools = new Map<string, SceneTool>();

  /** Idempotent for the same tool (false: it was there already); a different tool under a taken name is a bug. */
  register(tool: SceneTool): boolean {
    const existing = this.#tools.get(tool.name);
    if (existing === tool) return false;
    if (existing) throw new Error(`A different tool is already registered as "${tool.name}"`);
    this.#tools.set(tool.name, tool);
    return true;
  }

  /** Removes this very tool (not another one under its name). */
  unregister(tool: SceneTool) {
    if (this.#tools.get(tool.name) === tool) this.#tools.delete(tool.name);
  }

  get(name: string): SceneTool {
    const tool = this.#tools.get(name);
    if (!tool) throw new Error(`No tool named "${name}" is registered`);
    return tool;
  }

  list(): SceneTool[] {
    return [...this.#tools.values()];
  }
}

export function getToolRegistry(): ToolRegistry {
  return processSingleton("race-safe.brain.tool-registry", () => new ToolRegistry());
}
