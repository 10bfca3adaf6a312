// The design note's orchestrator: every `new Orchestrator()` (each request, each hot
// reload) registers every tool again; the instance flag is false in every new instance.
import { sceneTools, toolRegistry } from "../../_support/registry";

export class Orchestrator {
  private toolsRegistered = false;

  constructor() {
    if (!this.toolsRegistered) {
      sceneTools.forEach((tool) => toolRegistry.register(tool)); // expect: race/no-register-in-constructor
      this.toolsRegistered = true;
    }
  }
}
