/**
 * race/no-outer-db-in-transaction
 *
 * Inside `db.transaction(async (tx) => …)` (or `withTransaction(db, fn)`, or a helper
 * that takes a transaction handle), a query on the outer `db` instead of `tx`. The pool
 * hands it another connection: it runs outside the transaction, does not see the
 * transaction's uncommitted writes, is not rolled back with it, and can wait forever on
 * a row lock the transaction itself holds (a self-deadlock that ends at lock_timeout).
 *
 * Reported: a statement on the root handle (`db.select|insert|update|delete|execute`,
 * `db.query.t.findFirst`), a helper handed the root handle (`insertAudit(db, …)`), and
 * a second transaction opened on it (`db.transaction(…)`, `withTransaction(db, …)`),
 * inside a transaction's scope. With typed linting the handle's type decides
 * (`PgDatabase` vs `PgTransaction`), so a callback parameter that shadows `db` is the
 * transaction, as it should be.
 */
import { calleeName, propertyName, unwrap } from "../lib/ast.js";
import { createAnalysis, DEFAULT_DB_OPTIONS, optionsSchema } from "../lib/analysis.js";
import { ruleDocsUrl } from "../lib/docs.js";
import { STATEMENT_METHODS } from "../lib/drizzle.js";
import { handleArgument } from "../lib/statements.js";

/** @type {import('eslint').Rule.RuleModule} */
const rule = {
  meta: {
    type: "problem",
    docs: {
      description: "Disallow queries on the outer db handle inside a transaction; use the transaction handle",
      recommended: true,
      url: ruleDocsUrl("no-outer-db-in-transaction"),
    },
    schema: optionsSchema(),
    messages: {
      outerDb:
        "`{{handle}}.{{method}}` inside a transaction runs on another connection, outside it: it does not see the " +
        "transaction's uncommitted writes, is not rolled back with it, and can wait on the transaction's own locks. Use the " +
        "transaction handle `{{tx}}`.",
      outerDbHelper:
        "`{{callee}}(…)` is handed `{{handle}}` inside a transaction, so its statements run outside the transaction (another " +
        "connection, not rolled back with it). Pass the transaction handle `{{tx}}`.",
      nestedTransaction:
        "This opens a second transaction on `{{handle}}` (another connection) inside the transaction on `{{tx}}`: the two " +
        "commit and roll back separately, and can block each other. Use the transaction handle `{{tx}}` " +
        "(`{{tx}}.transaction(…)` nests as a savepoint).",
    },
  },

  create(context) {
    const { handles, transactions, sourceCode } = createAnalysis(context, DEFAULT_DB_OPTIONS);

    /** @param {any} scope */
    function txName(scope) {
      const first = scope.params.find((/** @type {any} */ param) => {
        const target = param.type === "AssignmentPattern" ? param.left : param;
        return target.type === "Identifier" && handles.kindOf(target) === "tx";
      });
      const target = first?.type === "AssignmentPattern" ? first.left : first;
      return target?.name ?? "tx";
    }

    /**
     * The root handle `node` runs a statement on, and the statement's name.
     * @param {any} node
     * @returns {{ handle: any, method: string } | null}
     */
    function rootStatement(node) {
      const callee = unwrap(node.callee);
      if (callee?.type !== "MemberExpression") return null;
      const method = propertyName(callee);
      if (method === null) return null;
      const object = unwrap(callee.object);
      if ((STATEMENT_METHODS.has(method) || method === "transaction") && handles.kindOf(object) === "db") return { handle: object, method };
      // db.query.<table>.findFirst(…)
      if (object?.type === "MemberExpression") {
        const query = unwrap(object.object);
        if (query?.type === "MemberExpression" && propertyName(query) === "query" && handles.kindOf(query.object) === "db") {
          return { handle: unwrap(query.object), method: `query.${propertyName(object)}.${method}` };
        }
      }
      return null;
    }

    return {
      /** @param {any} node */
      CallExpression(node) {
        const scope = transactions.transactionScope(node);
        if (!scope) return;
        const tx = txName(scope);
        const statement = rootStatement(node);
        if (statement) {
          const handle = sourceCode.getText(statement.handle);
          if (statement.method === "transaction") context.report({ node, messageId: "nestedTransaction", data: { handle, tx } });
          else context.report({ node, messageId: "outerDb", data: { handle, method: statement.method, tx } });
          return;
        }
        if (unwrap(node.callee)?.type === "MemberExpression" && handles.isHandle(unwrap(node.callee).object)) return;
        const argument = handleArgument(node, handles);
        if (!argument || handles.kindOf(argument) !== "db") return;
        const handle = sourceCode.getText(argument);
        if (handles.isTransactionCall(node)) context.report({ node, messageId: "nestedTransaction", data: { handle, tx } });
        else context.report({ node, messageId: "outerDbHelper", data: { callee: calleeName(node) ?? "this call", handle, tx } });
      },
    };
  },
};

export default rule;
