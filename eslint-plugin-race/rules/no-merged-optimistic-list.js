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
 * Also reported: the two lists rendered side by side in one element
 * (`{server.map(…)}{optimistic.map(…)}`), the same duplicate on screen without a merge.
 *
 * Not reported: React 19's `useOptimistic(serverData, …)`, which derives from the
 * server's list instead of sitting beside it, and a list that is only the query's data.
 * Server data copied into state or a store and merged there is
 * race/no-mirrored-server-state's.
 */
import { propertyName, unwrap, withDefaults } from "../lib/ast.js";
import { ruleDocsUrl } from "../lib/docs.js";
import { createReactSources, DEFAULT_REACT_OPTIONS, REACT_OPTIONS_SCHEMA } from "../lib/react.js";

/** @type {import('eslint').Rule.RuleModule} */
const rule = {
  meta: {
    type: "problem",
    docs: {
      description:
        "Disallow a component list merged from local (optimistic) state and query data: two sources of truth for one list",
      recommended: true,
      url: ruleDocsUrl("no-merged-optimistic-list"),
    },
    schema: [{ type: "object", properties: REACT_OPTIONS_SCHEMA, additionalProperties: false }],
    messages: {
      mergedList:
        "This list merges local state `{{state}}` with query data `{{query}}`: the server's copy arrives while the local " +
        "copy is still there, so an item shows twice. Render only the query's data (write optimistic items into the " +
        "query's cache with onMutate if you need them).",
      sideBySide:
        "Local state `{{state}}` is rendered beside query data `{{query}}` as one list: the server's copy arrives while the " +
        "local copy is still there, so an item shows twice. Render only the query's data (write optimistic items into the " +
        "query's cache with onMutate if you need them).",
    },
  },

  create(context) {
    const options = withDefaults(DEFAULT_REACT_OPTIONS, context.options[0]);
    const { sourceCode } = context;
    const sources = createReactSources(context, options);

    /**
     * The local-state part and the query part among `parts`, if both are there.
     * @param {any[]} parts
     */
    function stateAndQuery(parts) {
      /** @type {any} */
      let state = null;
      /** @type {any} */
      let query = null;
      for (const part of parts) {
        const source = sources.sourceOf(part);
        if (source === "state") state ??= part;
        else if (source === "query") query ??= part;
      }
      return state && query ? { state, query } : null;
    }

    /**
     * @param {any} node
     * @param {any[]} parts
     * @param {"mergedList"} messageId
     */
    function check(node, parts, messageId) {
      const found = stateAndQuery(parts);
      if (!found || !sources.componentOf(node)) return;
      context.report({
        node,
        messageId,
        data: { state: sourceCode.getText(found.state), query: sourceCode.getText(found.query) },
      });
    }

    return {
      /** @param {any} node */
      ArrayExpression(node) {
        const spreads = node.elements.filter((/** @type {any} */ element) => element?.type === "SpreadElement");
        if (spreads.length < 2) return;
        check(node, spreads.map((/** @type {any} */ spread) => spread.argument), "mergedList");
      },
      /** @param {any} node */
      CallExpression(node) {
        const callee = unwrap(node.callee);
        if (propertyName(callee) !== "concat") return;
        const args = node.arguments.map((/** @type {any} */ arg) => (arg.type === "SpreadElement" ? arg.argument : arg));
        check(node, [callee.object, ...args], "mergedList");
      },
      /** @param {any} node */
      JSXElement(node) {
        const mapped = node.children
          .filter((/** @type {any} */ child) => child.type === "JSXExpressionContainer")
          .map((/** @type {any} */ child) => unwrap(child.expression))
          .filter((/** @type {any} */ expression) => expression?.type === "CallExpression" && propertyName(unwrap(expression.callee)) === "map");
        if (mapped.length < 2) return;
        const found = stateAndQuery(mapped.map((/** @type {any} */ call) => unwrap(call.callee).object));
        if (!found || !sources.componentOf(node)) return;
        // Reported on the local list's `.map(…)`, the part to remove.
        const local = mapped.find((/** @type {any} */ call) => unwrap(call.callee).object === found.state);
        context.report({
          node: local,
          messageId: "sideBySide",
          data: { state: sourceCode.getText(found.state), query: sourceCode.getText(found.query) },
        });
      },
    };
  },
};

export default rule;
