/**
 * Where a value in a React component comes from: local state (the first element of
 * `useState(…)` / `useReducer(…)`), a query's data (the `data` of a query hook's result,
 * `const { data: m = [] } = api.x.useQuery()`, `const q = useChat(id); q.data`, the first
 * element of `useSuspenseQuery`), or a client store (`useChatStore(…)`). Values derived
 * with `??`, `||`, `?:`, `as`, `!`, property access or array methods keep their source.
 */
import { functionName, isFunction, propertyName, resolveVariable, unwrap } from "./ast.js";

export const DEFAULT_REACT_OPTIONS = {
  /** Hooks whose first tuple element is local state. */
  stateHooks: ["useState", "useReducer"],
  /** Hooks that are neither local state nor a data source (their `data` is not a query's). */
  ignoredHooks: ["useOptimistic", "useRef", "useMemo", "useCallback", "useContext", "useId", "useTransition", "useDeferredValue"],
  /** Hooks that return `[data, query]` tuples (tRPC's suspense queries). */
  tupleQueryHooks: ["useSuspenseQuery", "useSuspenseInfiniteQuery"],
  /** Hooks that return a client store (Zustand's `useXStore`), as a regular expression source. */
  storeHookPattern: "^use\\w*Store$",
};

const stringList = { type: "array", items: { type: "string" }, uniqueItems: true };
export const REACT_OPTIONS_SCHEMA = {
  stateHooks: stringList,
  ignoredHooks: stringList,
  tupleQueryHooks: stringList,
  storeHookPattern: { type: "string" },
};

const ARRAY_METHODS = new Set(["filter", "map", "slice", "toSorted", "toReversed", "toSpliced", "sort", "reverse", "flat", "flatMap", "with"]);

/** @typedef {"state" | "query" | "queryResult" | "store"} Source */

/**
 * @param {any} call
 * @returns {string | null}
 */
export function hookName(call) {
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
export function positionIn(identifier, pattern) {
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
 * @param {import('eslint').Rule.RuleContext} context
 * @param {typeof DEFAULT_REACT_OPTIONS} options
 */
export function createReactSources(context, options) {
  const { sourceCode } = context;
  const storeHook = new RegExp(options.storeHookPattern);

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
      if (storeHook.test(hook)) return "store";
      if (position.key === "data") return "query";
      if (position.whole) return "queryResult";
      if (position.index === 0 && options.tupleQueryHooks.includes(hook)) return "query";
      return null;
    }
    if (position.whole) return sourceOf(init, seen);
    if (position.key === "data" && sourceOf(init, seen) === "queryResult") return "query";
    return null;
  }

  /**
   * Which source an expression's value comes from.
   * @param {any} expression
   * @param {Set<any>} [seen]
   * @returns {Source | null}
   */
  function sourceOf(expression, seen = new Set()) {
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

  /**
   * The component (PascalCase function) or hook (`use…`) `node` is in, if any.
   * @param {any} node
   */
  function componentOf(node) {
    return (
      sourceCode.getAncestors(node).find((ancestor) => {
        if (!isFunction(ancestor)) return false;
        const name = functionName(ancestor);
        return name !== null && (/^[A-Z]/.test(name) || /^use[A-Z0-9]/.test(name));
      }) ?? null
    );
  }

  return { sourceOf, componentOf, isStoreHook: (/** @type {string} */ name) => storeHook.test(name) };
}
