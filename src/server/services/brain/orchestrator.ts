import { initializeTools } from "./init";
import type { Storyboard, ToolPlan } from "./tools/types";

/**
 * The scene "brain": picks a tool for a prompt. It registers nothing; the registry
 * is filled once per process by initializeTools().
 */
export class Orchestrator {
  async decide(prompt: string, storyboard: Storyboard): Promise<ToolPlan> {
    const registry = await initializeTools();
    const candidates = storyboard.project.isWelcome ? [registry.get("addScene")] : registry.list();
    for (const tool of candidates) {
      const plan = tool.plan(prompt, storyboard);
      if (plan) return plan;
    }
    throw new Error(`No tool accepted the prompt (tools: ${candidates.map((t) => t.name).join(", ")})`);
  }
}
