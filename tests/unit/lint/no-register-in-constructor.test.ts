import rule from "../../../eslint-plugin-race/rules/no-register-in-constructor.js";
import { code, createRuleTester, lineOf, sourceOf } from "./rule-tester";

// The design note's orchestrator (race-conditions-explained.md §2), in a class.
const noteConstructor = code`
  class Orchestrator {
    private toolsRegistered = false;
    // ❌ RACE CONDITION: Multiple instances register same tools
    constructor() {
      if (!this.toolsRegistered) {
        newSceneTools.forEach(tool => toolRegistry.register(tool));
        this.toolsRegistered = true;    // ⚠️ Multiple instances hit this
      }
    }
  }
`;

const labNaiveOrchestrator = sourceOf("src/server/lab/naive-orchestrator.ts");

const directCalls = code`
  class Brain {
    constructor(registry: ToolRegistry) {
      registry.register(addSceneTool);
      for (const tool of extraTools) registry?.register(tool);
    }
  }
`;

const fieldInitializer = code`
  class Brain {
    readonly added = registry.register(addSceneTool);
  }
`;

const customMethod = code`
  const Brain = class {
    constructor() {
      plugins.addTool(editSceneTool);
    }
  };
`;

createRuleTester().run("race/no-register-in-constructor", rule, {
  valid: [
    {
      name: "the design note's fix: a module-level initializer",
      code: code`
        let toolsInitialized = false;

        export function initializeTools() {
          if (!toolsInitialized) {
            newSceneTools.forEach(tool => toolRegistry.register(tool));
            toolsInitialized = true;
          }
        }
      `,
    },
    {
      name: "this app's init.ts: single-flight initializeTools over a globalThis registry",
      code: sourceOf("src/server/services/brain/init.ts"),
    },
    {
      name: "this app's registry.ts: defining register is not calling it",
      code: sourceOf("src/server/services/brain/tools/registry.ts"),
    },
    {
      name: "this app's orchestrator.ts: awaits the initializer in a method, registers nothing",
      code: sourceOf("src/server/services/brain/orchestrator.ts"),
    },
    {
      name: "a constructor that only sets fields",
      code: code`
        class Service {
          private readonly tools = new Map<string, Tool>();
          constructor(private readonly registry: ToolRegistry) {
            this.tools.set("a", tool);
          }
        }
      `,
    },
    {
      name: "a registry filling its own per-instance map from its constructor (this.register)",
      code: code`
        class ToolRegistry {
          readonly #tools = new Map<string, Tool>();
          constructor(builtins: Tool[]) {
            for (const tool of builtins) this.register(tool);
          }
          register(tool: Tool) {
            this.#tools.set(tool.name, tool);
          }
        }
      `,
    },
    {
      name: "a static block runs once per class evaluation, like module scope",
      code: code`
        class Tools {
          static {
            registry.register(addSceneTool);
          }
          static readonly registered = registry.register(editSceneTool);
        }
      `,
    },
    {
      name: "a method of a class declared inside a constructor is not constructor code",
      code: code`
        class Outer {
          constructor() {
            this.inner = class {
              setup() {
                registry.register(tool);
              }
            };
          }
        }
      `,
    },
    {
      name: "known false negative: a method the constructor calls",
      code: code`
        class Orchestrator {
          constructor() {
            this.registerTools();
          }
          private registerTools() {
            sceneTools.forEach((tool) => toolRegistry.register(tool));
          }
        }
      `,
    },
  ],
  invalid: [
    {
      name: "the design note's constructor registration",
      code: noteConstructor,
      errors: [{ messageId: "registerInConstructor", line: lineOf(noteConstructor, "toolRegistry.register(tool)") }],
    },
    {
      name: "the lab's naive-orchestrator.ts",
      code: labNaiveOrchestrator,
      errors: [
        {
          messageId: "registerInConstructor",
          line: lineOf(labNaiveOrchestrator, "this.registry.register(tool)"),
          data: { callee: "this.registry.register", where: "a constructor" },
        },
      ],
    },
    {
      name: "direct and optional calls in a constructor",
      code: directCalls,
      errors: [
        { messageId: "registerInConstructor", line: lineOf(directCalls, "registry.register(addSceneTool)") },
        { messageId: "registerInConstructor", line: lineOf(directCalls, "registry?.register(tool)") },
      ],
    },
    {
      name: "an instance field initializer runs per instance too",
      code: fieldInitializer,
      errors: [{ messageId: "registerInConstructor", data: { callee: "registry.register", where: "an instance field initializer" } }],
    },
    {
      name: "option methods: other registering method names",
      code: customMethod,
      options: [{ methods: ["register", "addTool"] }],
      errors: [{ messageId: "registerInConstructor", line: lineOf(customMethod, "plugins.addTool") }],
    },
  ],
});
