/**
 * race/no-merged-optimistic-list
 *
 * A component that renders one list built from two sources of truth: local
 * ("optimistic") state and a query's data. The server stores the item within
 * milliseconds and the next refetch brings it back while the local copy is still
 * there, so the item shows twice until someone removes the local copy.
 *
 * Reported, in a component (a function named in PascalCase) or a hook (`use…`): an
 * array built from both, `[...a, ...b]` or `a.concat(b)`, where one side is local
 * state — the first element of `useState(…)` / `useReducer(…)` — and the other is
 * query data — the `data` of a hook's result (`const { data: m = [] } = api.x.useQuery()`,
 * `const q = useChatMessages(id); q.data`). Values derived with `??`, `||`, `?:`,
 * `as`, `!`, property access, or array methods (`.filter`, `.map`, …) keep their source.
 *
 * Not reported: React 19's `useOptimistic(serverData, …)`, which derives from the
 * server's list instead of sitting beside it, and a list that is only the query's data.
 */
import { docsUrl, functionName, isFunction, propertyName, resolveVariable, unwrap, withDefaults } from "../lib/ast.js";

const DEFAULTS = {
  /** Hooks whose first tuple element is local state. */
  stateHooks: ["useState", "useReducer"],
  /** Hooks that are neither local state nor a data source (their `data` is not a query's). */
  ignoredHooks: ["useOptimistic", "useRef", "useMemo", "useCallback", "useContext", "useId", "useTransition", "useDeferredValue"],
  /** Hooks that return `[data, query]` tuples (tRPC's suspense queries). */
  tupleQueryHooks: ["useSuspenseQuery", "useSuspenseInfiniteQuery"],
};

const ARRAY_METHODS = new Set(["filter", "map", "slice", "toSorted", "toReversed", "toSpliced", "sort", "reverse", "flat", "flatMap", "with"]);

/** @typedef {"state" | "query" | "queryResult"} Source */

/** @type {import('eslint').Rule.RuleModule} */
const rule = {
  meta: {
    type: "problem",
    docs: {
      description:
        "Disallow a component list merged from local (optimistic) state and query data: two sources of truth for one list",
      recommended: true,
      url: docsUrl("race-no-merged-optimistic-list"),
    },
    schema: [
      {
        type: "object",
        properties: {
          stateHooks: { type: "array", items: { type: "string" }, uniqueItems: true },
          ignoredHooks: { type: "array", items: { type: "string" }, uniqueItems: true },
          tupleQueryHooks: { type: "array", items: { type: "string" }, uniqueItems: true },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      mergedList:
        "This list merges local state `{{state}}` with query data `{{query}}`: the server's copy arrives while the local " +
        "copy is still there, so an item shows twice. Render only the query's data (write optimistic items into the " +
        "query's cache with onMutate if you need them).",
    },
  },

  create(context) {
    const options = withDefaults(DEFAULTS, context.options[0]);
    const { sourceCode } = context;

    /**
     * @param {any} call
     * @returns {string | null}
     */
    function hookName(call) {
      if (call?.type !== "CallExpression") return null;
      const callee = unwrap(call.callee);
      const name = callee.type === "Identifier" ? callee.name : propertyName(callee);
      return name !== null && /^use[A-Z0-9]/.test(name) ? name : null;
    }

    /**
     * Where an identifier sits in a declaration pattern: `[x]` → 0, `{ data: x }` → "data".
     * @param {any} identifier
     * @param {any} pattern
     * @returns {{ index?: number, key?: string, whole?: boolean } | null}
     */
    function positionIn(identifier, pattern) {
      if (pattern === identifier) return { whole: true };
      /** @param {any} node */
      const target = (node) => (node?.type === "AssignmentPattern" ? node.left : node);
      if (pattern.type === "ArrayPattern") {
        const index = pattern.elements.findIndex((/** @type {any} */ element) => target(element) === identifier);
        return index >= 0 ? { index } : null;
      }
      if (pattern.type === "ObjectPattern") {
        for (const property of pattern.properties) {
          if (property.type !== "Property" || target(property.value) !== identifier) continue;
          const key = property.computed ? null : property.key.type === "Identifier" ? property.key.name : property.key.value;
          return { key: String(key) };
        }
      }
      return null;
    }

    /**
     * @param {import('eslint').Scope.Variable | null} variable
     * @param {Set<any>} seen
     * @returns {Source | null}
     */
    function sourceOfVariable(variable, seen) {
      if (!variable || seen.has(variable)) return null;
      seen.add(variable);
      const def = variable.defs[0];
      if (def?.type !== "Variable" || !def.node.init) return null;
      const { id, init } = def.node;
      const position = positionIn(def.name, id);
      if (!position) return null;
      const hook = hookName(unwrap(init));
      if (hook !== null) {
        if (options.ignoredHooks.includes(hook)) return null;
        if (options.stateHooks.includes(hook)) return position.index === 0 ? "state" : null;
        if (position.key === "data") return "query";
        if (position.whole) return "queryResult";
        if (position.index === 0 && options.tupleQueryHooks.includes(hook)) return "query";
        return null;
      }
      if (position.whole) {
        const source = sourceOf(init, seen);
        return source === "queryResult" ? "queryResult" : source;
      }
      if (position.key === "data" && sourceOf(init, seen) === "queryResult") return "query";
      return null;
    }

    /**
     * Which source an expression's value comes from.
     * @param {any} expression
     * @param {Set<any>} seen
     * @returns {Source | null}
     */
    function sourceOf(expression, seen) {
      const node = unwrap(expression);
      if (!node) return null;
      switch (node.type) {
        case "Identifier":
          return sourceOfVariable(resolveVariable(sourceCode, node), seen);
        case "MemberExpression": {
          const object = sourceOf(node.object, seen);
          if (object === "queryResult") return propertyName(node) === "data" ? "query" : null;
          return object;
        }
        case "LogicalExpression":
          return sourceOf(node.left, seen) ?? sourceOf(node.right, seen);
        case "ConditionalExpression":
          return sourceOf(node.consequent, seen) ?? sourceOf(node.alternate, seen);
        case "CallExpression": {
          const callee = unwrap(node.callee);
          const method = propertyName(callee);
          if (method !== null && ARRAY_METHODS.has(method)) {
            const source = sourceOf(callee.object, seen);
            return source === "queryResult" ? null : source;
          }
          return null;
        }
        default:
          return null;
      }
    }

    /** @param {any} node */
    function inComponentOrHook(node) {
      return sourceCode.getAncestors(node).some((ancestor) => {
        if (!isFunction(ancestor)) return false;
        const name = functionName(ancestor);
        return name !== null && (/^[A-Z]/.test(name) || /^use[A-Z0-9]/.test(name));
      });
    }

    /**
     * @param {any} node
     * @param {any[]} parts
     */
    function check(node, parts) {
      /** @type {any} */
      let state = null;
      /** @type {any} */
      let query = null;
      for (const part of parts) {
        const source = sourceOf(part, new Set());
        if (source === "state") state ??= part;
        else if (source === "query") query ??= part;
      }
      if (!state || !query || !inComponentOrHook(node)) return;
      context.report({
        node,
        messageId: "mergedList",
        data: { state: sourceCode.getText(state), query: sourceCode.getText(query) },
      });
    }

    return {
      /** @param {any} node */
      ArrayExpression(node) {
        const spreads = node.elements.filter((/** @type {any} */ element) => element?.type === "SpreadElement");
        if (spreads.length < 2) return;
        check(node, spreads.map((/** @type {any} */ spread) => spread.argument));
      },
      /** @param {any} node */
      CallExpression(node) {
        const callee = unwrap(node.callee);
        if (propertyName(callee) !== "concat") return;
        const args = node.arguments.map((/** @type {any} */ arg) => (arg.type === "SpreadElement" ? arg.argument : arg));
        check(node, [callee.object, ...args]);
      },
    };
  },
};

export default rule;
