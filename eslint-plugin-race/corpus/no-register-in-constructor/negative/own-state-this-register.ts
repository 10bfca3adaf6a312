// An object filling its own per-instance state: `this.register` in its constructor.
import type { Tool } from "../../_support/registry";

export class LocalRegistry {
  private readonly byName = new Map<string, Tool>();

  constructor(builtIns: Tool[]) {
    for (const tool of builtIns) this.register(tool);
  }

  register(tool: Tool) {
    this.byName.set(tool.name, tool);
  }
}
