import type { Project, Scene } from "~/server/db/schema";
import type { Transaction } from "~/server/db/tx";

/** What the orchestrator reads before it decides: no lock held. */
export interface Storyboard {
  project: Project;
  scenes: Scene[];
}

export interface ToolResult {
  scene: Scene | null;
  reply: string;
}

/** A decided tool call: made in the think step, applied in the locked apply step. */
export interface ToolPlan {
  tool: string;
  input: Record<string, unknown>;
  apply: (tx: Transaction, project: Project) => Promise<ToolResult>;
}

export interface SceneTool {
  readonly name: string;
  readonly description: string;
  /** The plan for this prompt, or null when the prompt is not for this tool. */
  plan: (prompt: string, storyboard: Storyboard) => ToolPlan | null;
}

const TOOL_INPUT_ERROR = Symbol.for("race-safe.brain.tool-input-error");

/**
 * A request the user can fix (e.g. "delete scene 9" in a 3-scene project): shown in the
 * chat. Recognise it with `ToolInputError.is`, not `instanceof`: the tools registered at
 * start-up come from another bundle's copy of this module, so the class differs.
 */
export class ToolInputError extends Error {
  override name = "ToolInputError";
  readonly [TOOL_INPUT_ERROR] = true;

  static is(error: unknown): error is ToolInputError {
    return typeof error === "object" && error !== null && TOOL_INPUT_ERROR in error;
  }
}
