// The registry is injected, but it is the process's one: registering per instance.
import type { Tool, ToolRegistry } from "../../_support/registry";

export class Brain {
  constructor(
    private readonly registry: ToolRegistry,
    tools: Tool[],
  ) {
    for (const tool of tools) this.registry.register(tool); // expect: race/no-register-in-constructor
  }
}
