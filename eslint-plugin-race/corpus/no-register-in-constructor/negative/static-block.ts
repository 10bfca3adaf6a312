// A static block runs once per class evaluation, like module scope.
import { toolRegistry, type Tool } from "../../_support/registry";

const search: Tool = { name: "search", run: async () => [] };

export class SearchPlugin {
  static {
    toolRegistry.register(search);
  }
}
