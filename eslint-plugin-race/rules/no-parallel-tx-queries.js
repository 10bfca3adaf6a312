/**
 * race/no-parallel-tx-queries
 *
 * `Promise.all` over queries on one transaction handle. A transaction is one
 * connection, so the queries run one at a time anyway; what `Promise.all` adds is that
 * when one fails, the transaction is aborted (or the callback returns and it commits or
 * rolls back) while the others are still queued on it: they fail with "current
 * transaction is aborted", their own errors are lost, and the order of the writes is
 * whatever the driver picked.
 *
 * Reported: `Promise.all` / `allSettled` / `any` / `race` whose array holds two or more
 * statements on a transaction handle (or helpers handed it, `addMember(tx, …)`), or
 * that maps a list to such statements (`Promise.all(ids.map((id) => tx.insert(…)))`).
 * `Promise.all` over the pool (`db`) is fine: those are separate connections.
 */
import { calleeName, isFunction, propertyName, unwrap, walk } from "../lib/ast.js";
import { createAnalysis, DEFAULT_DB_OPTIONS, optionsSchema } from "../lib/analysis.js";
import { ruleDocsUrl } from "../lib/docs.js";
import { handleArgument, statementOf } from "../lib/statements.js";

const COMBINATORS = new Set(["all", "allSettled", "any", "race"]);

/** @type {import('eslint').Rule.RuleModule} */
const rule = {
  meta: {
    type: "problem",
    docs: {
      description: "Disallow Promise.all over queries on one transaction handle; await them one after another",
      recommended: true,
      url: ruleDocsUrl("no-parallel-tx-queries"),
    },
    schema: optionsSchema(),
    messages: {
      parallelTx:
        "These queries share the transaction `{{tx}}`, one connection: they run one at a time anyway, and when one fails " +
        "the transaction is aborted while the others are still queued on it (they fail with \"current transaction is " +
        "aborted\", the first error is all you see). Await them one after another (`for … of` with `await`), or make them " +
        "one statement (a multi-row insert, `inArray`).",
    },
  },

  create(context) {
    const { handles, sourceCode } = createAnalysis(context, DEFAULT_DB_OPTIONS);

    /**
     * The transaction handles the statements in `node` run on (not entering functions
     * unless `intoFunctions`), one entry per statement.
     * @param {any} node
     * @returns {string[]}
     */
    function txStatements(node) {
      /** @type {string[]} */
      const found = [];
      walk(
        node,
        sourceCode.visitorKeys,
        (child) => {
          if (child.type !== "CallExpression") return undefined;
          // Each transaction opened here has its own connection.
          if (handles.isTransactionCall(child)) return false;
          const statement = statementOf(child, handles);
          if (statement && statement.call === child) {
            if (handles.kindOf(statement.handle) === "tx") found.push(sourceCode.getText(statement.handle));
            return false;
          }
          const argument = handleArgument(child, handles);
          if (argument && handles.kindOf(argument) === "tx" && !statementOf(child, handles)) {
            found.push(sourceCode.getText(argument));
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
        const callee = unwrap(node.callee);
        if (callee?.type !== "MemberExpression" || !COMBINATORS.has(propertyName(callee) ?? "")) return;
        if (unwrap(callee.object)?.type !== "Identifier" || unwrap(callee.object).name !== "Promise") return;
        const list = unwrap(node.arguments[0]);
        if (!list) return;
        /** @type {string[]} */
        let statements = [];
        if (list.type === "ArrayExpression") {
          for (const element of list.elements) {
            if (!element) continue;
            const target = element.type === "SpreadElement" ? element.argument : element;
            const found = txStatements(target);
            // A spread map runs its callback per item: count it twice.
            statements.push(...found, ...(element.type === "SpreadElement" ? found : []));
          }
        } else if (list.type === "CallExpression" && ["map", "flatMap"].includes(calleeName(list) ?? "") && isFunction(unwrap(list.arguments[0]))) {
          const found = txStatements(unwrap(list.arguments[0]).body);
          statements = [...found, ...found];
        }
        if (statements.length < 2) return;
        context.report({ node, messageId: "parallelTx", data: { tx: statements[0] ?? "tx" } });
      },
    };
  },
};

export default rule;
