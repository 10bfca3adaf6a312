/**
 * race/no-unawaited-write
 *
 * Writes that never run, or run unobserved:
 *
 * - a Drizzle builder that is not awaited (`void db.update(t).set(v).where(w)`, or the
 *   bare statement): builders are lazy, the query runs only when awaited or when
 *   `.then` / `.execute()` is called, so this write never happens;
 * - a write fired and forgotten on the request path (`db.insert(…).catch(log)`,
 *   `.then(…)` without an await): the response goes out before it lands, its failure only
 *   reaches a log, the next request may not see it, and a serverless platform may freeze
 *   the process before it finishes;
 * - `items.forEach(async (item) => { await db.insert(…) })`: `forEach` ignores the
 *   promises, so the writes run all at once after it returns, unawaited, with unhandled
 *   errors.
 *
 * Not reported: writes awaited, returned, assigned or passed on (`after(…)`,
 * `Promise.all([...])`), and fire-and-forget writes inside timers and event handlers
 * (`setInterval`, `setTimeout`, `.on(…)`) or Next's `after()` / `waitUntil`, which are
 * off the request path by design (a lease renewal, a background retry).
 */
import { calleeName, isFunction, unwrap, walk } from "../lib/ast.js";
import { createAnalysis, DEFAULT_DB_OPTIONS, optionsSchema } from "../lib/analysis.js";
import { ruleDocsUrl } from "../lib/docs.js";
import { RUNNING_LINKS, writeCall } from "../lib/drizzle.js";
import { handleArgument, statementOf } from "../lib/statements.js";

const DEFAULTS = {
  ...DEFAULT_DB_OPTIONS,
  /** Functions whose callbacks run off the request path. */
  backgroundFunctions: [
    "setTimeout", "setInterval", "setImmediate", "queueMicrotask", "nextTick", "after", "waitUntil",
    "on", "once", "addListener", "addEventListener", "schedule",
  ],
};

/** @type {import('eslint').Rule.RuleModule} */
const rule = {
  meta: {
    type: "problem",
    docs: {
      description: "Disallow database writes that never run (an unawaited builder) or are fired and forgotten on the request path",
      recommended: true,
      url: ruleDocsUrl("no-unawaited-write"),
    },
    schema: optionsSchema({ backgroundFunctions: { type: "array", items: { type: "string" }, uniqueItems: true } }),
    messages: {
      neverRuns:
        "This `{{method}}` never runs: a Drizzle query builder executes only when it is awaited (or `.then` / `.execute()` is " +
        "called), and this one is {{how}}. `await` it.",
      fireAndForget:
        "This `{{method}}` is fired and forgotten (`.{{link}}(…)`, no await): the response goes out before it lands, a " +
        "failure only reaches a log, and a serverless runtime may stop before it finishes. `await` it; if it really may run " +
        "after the response, pass it to `after()` (next/server) or `waitUntil`.",
      asyncForEach:
        "`forEach` does not wait for an async callback: these writes start all at once after `forEach` returns, unawaited, " +
        "and their errors are unhandled. Use `for (const … of …) { await … }`, `await Promise.all(items.map(…))` on the " +
        "pool (not on one transaction), or one multi-row statement.",
    },
  },

  create(context) {
    const { options, handles, sourceCode } = createAnalysis(context, DEFAULTS);

    /** @param {any} node */
    function inBackgroundCallback(node) {
      return sourceCode.getAncestors(node).some(
        (ancestor) =>
          isFunction(ancestor) &&
          ancestor.parent?.type === "CallExpression" &&
          ancestor.parent.arguments.includes(ancestor) &&
          options.backgroundFunctions.includes(calleeName(ancestor.parent) ?? ""),
      );
    }

    /**
     * How the chain's value is dropped: "void", "bare", or null when it is used.
     * @param {any} top
     */
    function dropped(top) {
      const parent = top.parent;
      if (parent?.type === "ExpressionStatement") return "a bare statement";
      if (parent?.type === "UnaryExpression" && parent.operator === "void" && parent.parent?.type === "ExpressionStatement") {
        return "discarded with `void`";
      }
      return null;
    }

    /** @param {any} fn */
    function writesIn(fn) {
      let found = false;
      walk(fn.body, sourceCode.visitorKeys, (node) => {
        if (found) return false;
        if (node.type !== "CallExpression") return undefined;
        const write = writeCall(node);
        if ((write && handles.isHandle(write.handle)) || (handleArgument(node, handles) && !statementOf(node, handles))) found = true;
        return undefined;
      });
      return found;
    }

    return {
      /** @param {any} node */
      CallExpression(node) {
        const write = writeCall(node);
        if (write && handles.isHandle(write.handle)) {
          const how = dropped(write.top);
          if (!how) return;
          const link = [...write.links.keys()].reverse().find((name) => RUNNING_LINKS.has(name));
          if (!link) {
            context.report({ node, messageId: "neverRuns", data: { method: write.method, how } });
          } else if (!inBackgroundCallback(node)) {
            context.report({ node, messageId: "fireAndForget", data: { method: write.method, link } });
          }
          return;
        }
        if (calleeName(node) !== "forEach") return;
        const callback = unwrap(node.arguments[0]);
        if (isFunction(callback) && callback.async && writesIn(callback)) {
          context.report({ node, messageId: "asyncForEach" });
        }
      },
    };
  },
};

export default rule;
