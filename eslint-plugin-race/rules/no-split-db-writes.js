/**
 * race/no-split-db-writes
 *
 * Two or more awaited writes on the root database handle in one function, outside a
 * transaction: each await is a point where another request can run, so the writes are
 * not atomic (the design note's welcome reset: `await db.update(projects)…;
 * await db.delete(scenes)…`). A write on the root handle *inside* a transaction
 * callback is reported too: it runs on another connection, outside the transaction.
 */
import { docsUrl, isAwaited, isFunction, withDefaults } from "../lib/ast.js";
import { DB_OPTIONS_SCHEMA, DEFAULT_DB_OPTIONS, isDbHandle, isTransactionCallback, transactionHandleName, writeCall } from "../lib/drizzle.js";

/** @type {import('eslint').Rule.RuleModule} */
const rule = {
  meta: {
    type: "problem",
    docs: {
      description:
        "Disallow related writes split across separate awaits on the root db handle outside a transaction",
      recommended: true,
      url: docsUrl("race-no-split-db-writes"),
    },
    schema: [{ type: "object", properties: DB_OPTIONS_SCHEMA, additionalProperties: false }],
    messages: {
      splitWrites:
        "`{{method}}` is this function's write #{{count}} on `{{handle}}` outside a transaction (the first is on line {{firstLine}}): " +
        "another request can run between these awaits. Wrap in withTransaction and lock the row you decide on.",
      rootHandleInTransaction:
        "`{{method}}` on `{{handle}}` inside a transaction callback runs on another connection, outside the transaction " +
        "and its locks. Use the transaction handle `{{tx}}`.",
    },
  },

  create(context) {
    const options = withDefaults(DEFAULT_DB_OPTIONS, context.options[0]);
    const { sourceCode } = context;
    /** @type {Map<any, any[]>} awaited root-handle writes per enclosing function (or Program) */
    const writesByFunction = new Map();

    return {
      /** @param {any} node */
      CallExpression(node) {
        const write = writeCall(node);
        if (!write || !isDbHandle(write.handle, options)) return;

        const ancestors = sourceCode.getAncestors(node);
        const transaction = ancestors.findLast((ancestor) => isTransactionCallback(ancestor, options));
        if (transaction) {
          context.report({
            node,
            messageId: "rootHandleInTransaction",
            data: {
              method: write.method,
              handle: sourceCode.getText(write.handle),
              tx: transactionHandleName(transaction) ?? "tx",
            },
          });
          return;
        }
        if (!isAwaited(node)) return;
        const owner = ancestors.findLast((ancestor) => isFunction(ancestor)) ?? sourceCode.ast;
        const writes = writesByFunction.get(owner) ?? [];
        writes.push(node);
        writesByFunction.set(owner, writes);
      },

      "Program:exit"() {
        for (const writes of writesByFunction.values()) {
          const [first, ...later] = writes;
          later.forEach((node, index) => {
            const write = /** @type {{ method: string, handle: any }} */ (writeCall(node));
            context.report({
              node,
              messageId: "splitWrites",
              data: {
                method: write.method,
                handle: sourceCode.getText(write.handle),
                count: String(index + 2),
                firstLine: String(first.loc.start.line),
              },
            });
          });
        }
      },
    };
  },
};

export default rule;
