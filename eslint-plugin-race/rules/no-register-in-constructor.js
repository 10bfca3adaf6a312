/**
 * race/no-register-in-constructor
 *
 * Registering on a registry from a class constructor (or an instance field
 * initializer) runs once per *instance*: every request that builds the service and
 * every hot reload registers again. A guard flag on `this` does not help, since every
 * instance starts with its own. Process-wide set-up belongs in a module-level,
 * single-flight initializer (`initializeTools()`) over a registry kept on `globalThis`.
 *
 * Reported: any call `<expr>.register(…)` (the method names are configurable) whose
 * nearest enclosing class member is a constructor or a non-static field initializer,
 * including inside callbacks there (`tools.forEach((t) => registry.register(t))`).
 * Not reported: `this.register(…)`, an object filling its own per-instance state.
 */
import { abbreviate, propertyName, unwrap, withDefaults } from "../lib/ast.js";
import { ruleDocsUrl } from "../lib/docs.js";

const DEFAULTS = {
  /** Method names that register into a shared registry. */
  methods: ["register"],
};

/** @type {import('eslint').Rule.RuleModule} */
const rule = {
  meta: {
    type: "problem",
    docs: {
      description: "Disallow registering on a registry (`.register(…)`) inside a class constructor",
      recommended: true,
      url: ruleDocsUrl("no-register-in-constructor"),
    },
    schema: [
      {
        type: "object",
        properties: { methods: { type: "array", items: { type: "string" }, minItems: 1, uniqueItems: true } },
        additionalProperties: false,
      },
    ],
    messages: {
      registerInConstructor:
        "`{{callee}}(…)` in {{where}} runs once per instance (every request, every hot reload), so the same " +
        "things are registered again and again. Register once at module level (initializeTools) into a process-wide registry.",
    },
  },

  create(context) {
    const options = withDefaults(DEFAULTS, context.options[0]);
    const { sourceCode } = context;

    return {
      /** @param {any} node */
      CallExpression(node) {
        const callee = unwrap(node.callee);
        const method = propertyName(callee);
        if (method === null || !options.methods.includes(method)) return;
        // `this.register(…)`: an object filling its own per-instance state, not a shared registry.
        if (unwrap(callee.object).type === "ThisExpression") return;

        // The nearest class member decides: a method defined inside a constructor's
        // callback is still the constructor's code, a class nested elsewhere is not.
        const ancestors = sourceCode.getAncestors(node);
        for (let i = ancestors.length - 1; i >= 0; i--) {
          const ancestor = ancestors[i];
          if (ancestor.type === "MethodDefinition") {
            if (ancestor.kind === "constructor") report(node, callee, "a constructor");
            return;
          }
          if (ancestor.type === "PropertyDefinition") {
            const child = ancestors[i + 1] ?? node;
            if (!ancestor.static && ancestor.value === child) report(node, callee, "an instance field initializer");
            return;
          }
          if (ancestor.type === "StaticBlock" || ancestor.type === "ClassBody") return;
        }
      },
    };

    /**
     * @param {any} node
     * @param {any} callee
     * @param {string} where
     */
    function report(node, callee, where) {
      context.report({ node, messageId: "registerInConstructor", data: { callee: abbreviate(sourceCode.getText(callee), 60, { keepEnd: true }), where } });
    }
  },
};

export default rule;
