/**
 * race/no-mirrored-server-state
 *
 * A query's data copied into client state or a store, which then also gets client-only
 * items: `useEffect(() => setMessages(data), [data])` beside
 * `setMessages((list) => [...list, optimistic])`, or a store action fed from `data`
 * (`setMessages(data)` from `useChatStore`) beside `addMessage(tempMessage)`. The list
 * has two sources of truth again, only the merge happens in the state or the store
 * instead of in a `useMemo`: the server's copy of an item arrives while the local one is
 * still there (shown twice), or the next refetch overwrites a local item that has not
 * been saved yet (it vanishes).
 *
 * Reported, in a component or hook: a call in a `useEffect` / `useLayoutEffect` body
 * that passes query data to a `useState` setter or to an action of a store hook
 * (`use…Store`, option `storeHookPattern`), when the same component also appends to that
 * state (an updater spreading the previous list) or calls an adding action of that store
 * (`add…`, `append…`, `push…`, `insert…`, `prepend…`, `upsert…`). Not reported: a mirror
 * nobody else writes to (a form draft initialised from the server) and stores fed from
 * one place only.
 */
import { isFunction, propertyName, resolveVariable, unwrap, walk, withDefaults } from "../lib/ast.js";
import { ruleDocsUrl } from "../lib/docs.js";
import { createReactSources, DEFAULT_REACT_OPTIONS, hookName, positionIn, REACT_OPTIONS_SCHEMA } from "../lib/react.js";

const DEFAULTS = {
  ...DEFAULT_REACT_OPTIONS,
  /** Hooks whose callback runs after render. */
  effectHooks: ["useEffect", "useLayoutEffect", "useInsertionEffect"],
};
const ADDING_ACTION = /^(?:add|append|push|insert|prepend|upsert|enqueue|queue)/i;

/**
 * @typedef {{ kind: "state" | "store", group: any, name: string, variable: any }} Writer
 */

/** @type {import('eslint').Rule.RuleModule} */
const rule = {
  meta: {
    type: "problem",
    docs: {
      description: "Disallow copying query data into client state or a store that also holds client-only items",
      recommended: true,
      url: ruleDocsUrl("no-mirrored-server-state"),
    },
    schema: [
      {
        type: "object",
        properties: { ...REACT_OPTIONS_SCHEMA, effectHooks: { type: "array", items: { type: "string" }, uniqueItems: true } },
        additionalProperties: false,
      },
    ],
    messages: {
      mirrored:
        "`{{call}}` copies the query's data into {{target}}, which also gets client-only items (`{{adder}}`, line " +
        "{{adderLine}}): two sources of truth for one list, so the server's copy shows beside the local one, or a refetch " +
        "wipes a local item. Render the query's data directly, and put optimistic items into the query's cache " +
        "(`utils.….setData` / `queryClient.setQueryData` in onMutate, replaced by the server's copy on settle) or use " +
        "`useOptimistic(data, …)`.",
    },
  },

  create(context) {
    const options = withDefaults(DEFAULTS, context.options[0]);
    const { sourceCode } = context;
    const sources = createReactSources(context, options);

    /**
     * The state setter or store action a callee is.
     * @param {any} callee
     * @returns {Writer | null}
     */
    function writerOf(callee) {
      const node = unwrap(callee);
      if (node?.type === "Identifier") {
        const variable = resolveVariable(sourceCode, node);
        const def = variable?.defs[0];
        if (def?.type !== "Variable" || !def.node.init) return null;
        const init = unwrap(def.node.init);
        const hook = hookName(init);
        if (hook === null) return null;
        const position = positionIn(def.name, def.node.id);
        if (options.stateHooks.includes(hook)) {
          return position?.index === 1 ? { kind: "state", group: init, name: node.name, variable } : null;
        }
        if (!sources.isStoreHook(hook)) return null;
        if (position?.key) return { kind: "store", group: hook, name: position.key, variable };
        if (position?.whole) {
          const selector = unwrap(init.arguments[0]);
          const selected = isFunction(selector) ? unwrap(selector.body) : null;
          const name = selected?.type === "MemberExpression" ? propertyName(selected) : null;
          return name ? { kind: "store", group: hook, name, variable } : null;
        }
        return null;
      }
      if (node?.type === "MemberExpression") {
        const name = propertyName(node);
        const object = unwrap(node.object);
        if (name === null) return null;
        // useChatStore.getState().setMessages
        if (object?.type === "CallExpression" && propertyName(unwrap(object.callee)) === "getState") {
          const store = unwrap(unwrap(object.callee).object);
          return store?.type === "Identifier" && sources.isStoreHook(store.name) ? { kind: "store", group: store.name, name, variable: null } : null;
        }
        // const store = useChatStore(); store.setMessages
        if (object?.type === "Identifier" && sources.sourceOf(object) === "store") {
          const def = resolveVariable(sourceCode, object)?.defs[0];
          const hook = def?.type === "Variable" ? hookName(unwrap(def.node.init)) : null;
          return hook ? { kind: "store", group: hook, name, variable: null } : null;
        }
      }
      return null;
    }

    /**
     * True when `arg` adds to the list: `(list) => [...list, item]`, `(list) => list.concat(item)`.
     * @param {any} arg
     */
    function appends(arg) {
      const fn = unwrap(arg);
      if (!isFunction(fn) || fn.params.length === 0) return false;
      let body = unwrap(fn.body);
      if (body?.type === "BlockStatement") {
        const last = body.body.findLast((/** @type {any} */ statement) => statement.type === "ReturnStatement");
        body = unwrap(last?.argument);
      }
      const param = fn.params[0];
      if (param?.type !== "Identifier") return false;
      if (body?.type === "ArrayExpression") {
        return (
          body.elements.length >= 2 &&
          body.elements.some((/** @type {any} */ e) => e?.type === "SpreadElement" && unwrap(e.argument)?.type === "Identifier" && unwrap(e.argument).name === param.name)
        );
      }
      if (body?.type === "CallExpression" && propertyName(unwrap(body.callee)) === "concat") {
        const object = unwrap(unwrap(body.callee).object);
        return object?.type === "Identifier" && object.name === param.name;
      }
      return false;
    }

    /**
     * Another write in the component that adds client-only items to the mirror's target.
     * @param {any} component
     * @param {any} mirrorCall
     * @param {Writer} mirror
     */
    function adderOf(component, mirrorCall, mirror) {
      /** @type {any} */
      let found = null;
      walk(
        component.body,
        sourceCode.visitorKeys,
        (node) => {
          if (found) return false;
          if (node.type !== "CallExpression" || node === mirrorCall) return undefined;
          const writer = writerOf(node.callee);
          if (!writer || writer.kind !== mirror.kind || writer.group !== mirror.group) return undefined;
          const sameTarget = writer.name === mirror.name;
          if ((sameTarget && appends(node.arguments[0])) || (!sameTarget && writer.kind === "store" && ADDING_ACTION.test(writer.name))) {
            found = node;
            return false;
          }
          return undefined;
        },
        { intoFunctions: true },
      );
      return found;
    }

    return {
      /** @param {any} node */
      CallExpression(node) {
        const hook = hookName(node);
        if (hook === null || !options.effectHooks.includes(hook)) return;
        const effect = unwrap(node.arguments[0]);
        const component = sources.componentOf(node);
        if (!isFunction(effect) || !component) return;
        walk(effect.body, sourceCode.visitorKeys, (child) => {
          if (child.type !== "CallExpression" || child.arguments.length === 0) return undefined;
          const writer = writerOf(child.callee);
          if (!writer || sources.sourceOf(child.arguments[0]) !== "query") return undefined;
          const adder = adderOf(component, child, writer);
          if (!adder) return undefined;
          context.report({
            node: child,
            messageId: "mirrored",
            data: {
              call: `${sourceCode.getText(child.callee)}(${sourceCode.getText(child.arguments[0])})`,
              target: writer.kind === "state" ? "component state" : `the store \`${writer.group}\``,
              adder: `${sourceCode.getText(adder.callee)}(…)`,
              adderLine: String(adder.loc.start.line),
            },
          });
          return undefined;
        });
      },
    };
  },
};

export default rule;
