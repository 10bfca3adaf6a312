/** A tool registry like the design note's: an array that accepts whatever it is given. */
export interface Tool {
  name: string;
  run(input: unknown): Promise<unknown>;
}

export class ToolRegistry {
  readonly tools: Tool[] = [];
  register(tool: Tool) {
    this.tools.push(tool);
  }
}

export const toolRegistry = new ToolRegistry();
export const sceneTools: Tool[] = [];
