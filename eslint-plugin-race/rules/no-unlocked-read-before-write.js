/**
 * race/no-unlocked-read-before-write
 *
 * Check-then-act: an UPDATE or DELETE decided from a row read with a plain SELECT. The
 * row can change between the read and the write, so the write acts on a decision that
 * is no longer true. Inside a transaction this is the transaction-only trap: under READ
 * COMMITTED a transaction makes the writes atomic, not the decision (two transactions
 * both read `isWelcome = true`; the second one's writes undo the first one's work).
 *
 * Reported, inside a transaction or not:
 * - a write (`h.update|delete(…)`, or a helper handed the handle, `resetWelcomeScene(tx, id)`)
 *   under a test on a field that can change (`if (project.isWelcome)`, `switch (job.status)`,
 *   `&&`, `?:`), or after an early exit on one (`if (!flag.enabled) return;`);
 * - a write by ids read with a condition on state (`select … where cart is empty`, then
 *   `delete … where id in (those ids)`): by the time it runs a row may no longer match.
 *
 * Not reported: tests that only ask whether the row exists (`if (!row) throw`): that is a
 * NOT_FOUND, not a decision; inserts into the table the read looked in (that is
 * race/no-check-then-insert, whose fix is a unique key, not a lock); versions compared in
 * JS (race/no-version-check-in-js); writes whose WHERE repeats the field they were
 * decided on (a conditional write); reads that lock (`.for("update")`, `FOR UPDATE`),
 * reads after the transaction took a lock, or in a helper every caller of which (in this
 * file) holds one; SERIALIZABLE / REPEATABLE READ transactions (the loser fails with
 * 40001 and is retried).
 */
import { abbreviate, calleeName, unwrap } from "../lib/ast.js";
import { createAnalysis, DEFAULT_DB_OPTIONS, optionsSchema } from "../lib/analysis.js";
import { ruleDocsUrl } from "../lib/docs.js";
import { filtersOnState, mentionedColumns, propertyKey, writeCall } from "../lib/drizzle.js";
import { guardsOf } from "../lib/paths.js";
import { decisionKind, stateFields } from "../lib/reads.js";
import { createLostUpdates } from "../lib/lost-updates.js";
import { handleArgument } from "../lib/statements.js";

const DEFAULTS = {
  ...DEFAULT_DB_OPTIONS,
  /** Treat a call that is handed a handle as a write, unless its name matches `readHelperPattern`. */
  checkHelperCalls: true,
  /** Helpers that only read (`listScenes(tx, id)`), so a guarded call to them is not a write. */
  readHelperPattern:
    "^(?:get|list|find|select|read|load|fetch|count|has|is|require|lock|assert|check|validate|parse|ensure|to|format|log)(?:[A-Z_0-9]|$)",
};

/** @type {import('eslint').Rule.RuleModule} */
const rule = {
  meta: {
    type: "problem",
    docs: {
      description: "Disallow an UPDATE or DELETE decided from a row read without a lock (check-then-act)",
      recommended: true,
      url: ruleDocsUrl("no-unlocked-read-before-write"),
    },
    schema: optionsSchema({ checkHelperCalls: { type: "boolean" }, readHelperPattern: { type: "string" } }),
    messages: {
      unlockedRead:
        "This `{{method}}` is decided by `{{guard}}`, read on line {{readLine}} with a plain select: another transaction can " +
        "change that row between the read and this write, even inside a transaction. Lock the row you decide on " +
        "(`.for(\"update\")` on that select, in this transaction) or make the write conditional (the condition in its WHERE, " +
        "then decide from `.returning()`).",
      checkThenAct:
        "This `{{method}}` is decided by `{{guard}}`, read on line {{readLine}} outside a transaction: another request can " +
        "change that row between the read and this write. Make the write conditional (the condition in its WHERE, then " +
        "decide from `.returning()`), or read the row with `.for(\"update\")` inside a transaction that also makes this write.",
      staleIds:
        "This `{{method}}` targets rows selected on line {{readLine}} by a condition on their state: by the time it runs, a " +
        "row may no longer match (and one that now matches is missed). Put that condition in this write's WHERE (one " +
        "conditional statement, `.returning()` says what it did), or lock the rows with `.for(\"update\")` in a transaction " +
        "with this write.",
    },
  },

  create(context) {
    const analysis = createAnalysis(context, DEFAULTS);
    const { options, handles, transactions, reads, sourceCode } = analysis;
    const readHelper = new RegExp(options.readHelperPattern);
    const { lostUpdates } = createLostUpdates(analysis);

    /**
     * The write `node` performs: a Drizzle update/delete on a handle, or a helper handed
     * a handle whose name does not say it only reads.
     * @param {any} node
     * `setKeys`: the columns an update sets (null when unknown: a delete, a helper, a spread).
     * @returns {{ method: string, where: any, table: string | null, modified: string[], setKeys: string[] | null } | null}
     */
    function writeOf(node) {
      const write = writeCall(node);
      if (write) {
        if (write.method === "insert" || !handles.isHandle(write.handle)) return null;
        const modified = lostUpdates(node, write).map((lost) => lost.column);
        const where = write.links.get("where")?.arguments[0] ?? null;
        return { method: write.method, where, table: write.table, modified, setKeys: setKeysOf(write) };
      }
      if (!options.checkHelperCalls || handles.isTransactionCall(node)) return null;
      const name = calleeName(node);
      if (name === null || readHelper.test(name) || !handleArgument(node, handles)) return null;
      return { method: `${name}(…)`, where: null, table: null, modified: [], setKeys: null };
    }

    /**
     * True when the decision is about what the write acts on. A branch (`if (p.isWelcome)
     * { … }`, `&&`, `switch`) always is. An early exit (`if (…) throw`) is how code
     * validates and authorizes too, so it counts only for a write on the row's own table
     * (or one the rule cannot see, a helper's) that deletes or sets a field the test read
     * (`if (p.status !== "draft") throw; set({ status: "published" })`); not a check of one
     * row followed by a write elsewhere (`if (user.isBanned) throw; update(posts)`) or of
     * other fields (`if (!project.members.some(…)) throw; set({ name })`).
     * @param {import('../lib/paths.js').Guard} guard
     * @param {import('../lib/reads.js').Origin} origin
     * @param {{ table: string | null, method: string, setKeys: string[] | null }} write
     */
    function decidesOnTarget(guard, origin, write) {
      if (guard.kind === "branch") return true;
      if (origin.read.table !== null && write.table !== null && origin.read.table !== write.table) return false;
      if (write.setKeys === null) return true;
      return stateFields(origin).some((field) => write.setKeys?.includes(field));
    }

    return {
      /** @param {any} node */
      CallExpression(node) {
        const write = writeOf(node);
        if (!write) return;
        const inTransaction = transactions.inTransaction(node);
        if (inTransaction && transactions.strongIsolation(node)) return;

        for (const guard of guardsOf(node, handles.isTransactionCallback)) {
          const origin = reads.originsOf(guard.test).find(
            (candidate) =>
              !candidate.read.guarded &&
              decisionKind(candidate) === "state" &&
              candidate.read.node.range[1] <= node.range[0] &&
              // The decision's field is written from its stale value: race/no-read-modify-write reports that.
              !stateFields(candidate).some((field) => write.modified.includes(field)) &&
              !(write.where && stateFields(candidate).some((field) => mentionedColumns(write.where, sourceCode.visitorKeys).has(field))),
          );
          if (!origin) continue;
          if (!decidesOnTarget(guard, origin, write)) continue;
          context.report({
            node,
            messageId: inTransaction ? "unlockedRead" : "checkThenAct",
            data: { method: write.method, guard: abbreviate(sourceCode.getText(guard.test)), readLine: String(origin.read.node.loc.start.line) },
          });
          return;
        }

        if (!write.where || filtersOnState(write.where)) return;
        const stale = reads
          .originsOf(write.where)
          .find(
            (candidate) =>
              !candidate.read.guarded &&
              candidate.read.where &&
              filtersOnState(candidate.read.where) &&
              decisionKind(candidate) === "existence" &&
              (candidate.read.table === null || candidate.read.table === write.table),
          );
        if (!stale) return;
        context.report({
          node,
          messageId: "staleIds",
          data: { method: write.method, readLine: String(stale.read.node.loc.start.line) },
        });
      },
    };
  },
};

/**
 * The column names an update's `.set({…})` names, or null when they cannot be listed.
 * @param {import('../lib/drizzle.js').Write} write
 * @returns {string[] | null}
 */
function setKeysOf(write) {
  if (write.method !== "update") return null;
  const values = unwrap(write.links.get("set")?.arguments[0]);
  if (values?.type !== "ObjectExpression") return null;
  if (values.properties.some((/** @type {any} */ property) => property.type !== "Property")) return null;
  return values.properties.map((/** @type {any} */ property) => propertyKey(property)).filter((key) => key !== null);
}

export default rule;
