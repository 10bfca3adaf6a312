// An instance field initializer runs per instance too.
import { toolRegistry, type Tool } from "../../_support/registry";

const exportTool: Tool = { name: "export", run: async () => null };

export class ExportService {
  readonly registration = toolRegistry.register(exportTool); // expect: race/no-register-in-constructor
}
