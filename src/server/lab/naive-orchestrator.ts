/**
 * ❌ BROKEN ON PURPOSE (Race Lab). The original orchestrator registered its tools in
 * its constructor, guarded by an instance flag, into a registry that appends. The flag
 * is per instance, so every `new NaiveOrchestrator()` (each request, each hot reload)
 * registers every tool again. The fix: src/server/services/brain/init.ts.
 */
import { sceneTools } from "~/server/services/brain/tools";
import type { SceneTool } from "~/server/services/brain/tools/types";

/** A registry like the original: an array that accepts whatever it is given. */
export class AppendingToolRegistry {
  readonly registrations: SceneTool[] = [];

  register(tool: SceneTool) {
    this.registrations.push(tool);
  }

  count(name: string) {
    return this.registrations.filter((tool) => tool.name === name).length;
  }
}

export class NaiveOrchestrator {
  private toolsRegistered = false;

  constructor(private readonly registry: AppendingToolRegistry) {
    if (!this.toolsRegistered) {
      sceneTools.forEach((tool) => this.registry.register(tool));
      this.toolsRegistered = true;
    }
  }
}
