/**
 * race/no-split-db-writes
 *
 * Two writes on the root handle, in one function, outside a transaction, that run in
 * the same call: each is its own transaction, so a crash or an error between them
 * leaves one without the other, and every other request can see the state in between
 * (the design note's welcome reset: `await db.update(projects)…; await db.delete(scenes)…`).
 *
 * Why it is not noisier: writes that cannot both run are never a pair (two branches of
 * one `if` / `?:` / `switch`, a `try` and its `catch`, a write followed by `return` or
 * `throw`), and writes with other awaited work between them (a model call, an email, a
 * payment) are phases, not one unit: no transaction should be held across that work, so
 * "open a transaction" would be the wrong advice (two status writes around a job).
 *
 * The message says which fix fits: when the writes are decided by a condition, the
 * decision has to be made inside the transaction from a locked row (or by a conditional
 * first write), since a transaction around a stale decision is the transaction-only
 * trap; when nothing decides them, one transaction (or one statement) is the fix.
 * Root-handle writes inside a transaction are race/no-outer-db-in-transaction's.
 */
import { abbreviate, enclosingFunction, isAwaited, unwrap, walk } from "../lib/ast.js";
import { createAnalysis, DEFAULT_DB_OPTIONS, optionsSchema } from "../lib/analysis.js";
import { ruleDocsUrl } from "../lib/docs.js";
import { writeCall } from "../lib/drizzle.js";
import { canBothRun, guardsOf } from "../lib/paths.js";
import { isDatabaseWork } from "../lib/statements.js";

/** Values that are the request's own, not rows read earlier: a test on them decides nothing stale. */
const REQUEST_VALUES = /^(?:input|args|params|options|opts|props|config|env|process|request|req|body)$/;

/** @type {import('eslint').Rule.RuleModule} */
const rule = {
  meta: {
    type: "problem",
    docs: {
      description: "Disallow two writes on the root db handle that run in one call as separate statements, outside a transaction",
      recommended: true,
      url: ruleDocsUrl("no-split-db-writes"),
    },
    schema: optionsSchema(),
    messages: {
      splitWrites:
        "This `{{method}}` on `{{handle}}` and the `{{firstMethod}}` on line {{firstLine}} are separate statements: a failure " +
        "between them leaves one without the other, and other requests see the state in between. Make them one unit: run " +
        "both on one transaction's handle (`{{handle}}.transaction(async (tx) => …)`, every statement on `tx`; nothing needs a " +
        "lock, neither write is decided by a condition here) or write them as one statement.",
      splitDecidedWrites:
        "This `{{method}}` on `{{handle}}` and the `{{firstMethod}}` on line {{firstLine}} are separate statements decided by " +
        "`{{guard}}`: another request can run between them and act on the same, by then stale, decision. Decide inside one " +
        "transaction from a row you lock (`.for(\"update\")` on the read `{{guard}}` comes from), or make the first write the " +
        "decision (its condition in WHERE, `.returning()`, and the rest only if it returned a row).",
    },
  },

  create(context) {
    const { handles, transactions, sourceCode } = createAnalysis(context, DEFAULT_DB_OPTIONS);
    /** @type {Map<any, any[]>} awaited root-handle writes per enclosing function (or Program) */
    const writesByFunction = new Map();

    /**
     * Other awaited work between `first` and `second` on their path: they are phases.
     * @param {any} owner
     * @param {any} first
     * @param {any} second
     */
    function workBetween(owner, first, second) {
      let found = false;
      const body = owner.type === "Program" ? owner : owner.body;
      walk(body, sourceCode.visitorKeys, (node) => {
        if (found || node.range[1] <= first.range[1] || node.range[0] >= second.range[0]) return false;
        if (node.type !== "AwaitExpression" || node.range[0] < first.range[1]) return undefined;
        if (!isDatabaseWork(node.argument, handles) && canBothRun(first, node) && canBothRun(node, second)) found = true;
        return undefined;
      });
      return found;
    }

    /**
     * The first test deciding `node` that reads a field of a row-like value
     * (`project.isWelcome`), not the request's own input or a plain flag.
     * @param {any} node
     */
    function firstGuard(node) {
      const guard = guardsOf(node, () => false).find(({ test }) => readsAField(test));
      return guard ? abbreviate(sourceCode.getText(guard.test)) : null;
    }

    /** @param {any} test */
    function readsAField(test) {
      let found = false;
      walk(test, sourceCode.visitorKeys, (child) => {
        if (found || child.type !== "MemberExpression") return !found && undefined;
        let root = child;
        while (root.type === "MemberExpression") root = unwrap(root.object);
        if (root.type === "Identifier" && !REQUEST_VALUES.test(root.name)) found = true;
        return false;
      });
      return found;
    }

    return {
      /** @param {any} node */
      CallExpression(node) {
        const write = writeCall(node);
        if (!write || handles.kindOf(write.handle) !== "db") return;
        if (transactions.inTransaction(node) || !isAwaited(node)) return;
        const owner = enclosingFunction(node) ?? sourceCode.ast;
        const writes = writesByFunction.get(owner) ?? [];
        writes.push(node);
        writesByFunction.set(owner, writes);
      },

      "Program:exit"() {
        for (const [owner, writes] of writesByFunction) {
          writes.forEach((second, index) => {
            const first = writes.slice(0, index).find((candidate) => canBothRun(candidate, second) && !workBetween(owner, candidate, second));
            if (!first) return;
            const write = /** @type {import('../lib/drizzle.js').Write} */ (writeCall(second));
            const guard = firstGuard(second) ?? firstGuard(first);
            context.report({
              node: second,
              messageId: guard ? "splitDecidedWrites" : "splitWrites",
              data: {
                method: write.method,
                handle: sourceCode.getText(write.handle),
                firstMethod: /** @type {any} */ (writeCall(first)).method,
                firstLine: String(first.loc.start.line),
                guard: guard ?? "",
              },
            });
          });
        }
      },
    };
  },
};

export default rule;
