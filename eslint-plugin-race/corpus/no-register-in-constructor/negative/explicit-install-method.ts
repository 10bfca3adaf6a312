// Registration in a method the composition root calls once, not in the constructor.
import { toolRegistry, type Tool } from "../../_support/registry";

export class Plugin {
  constructor(private readonly tool: Tool) {}

  install() {
    toolRegistry.register(this.tool);
  }
}
