/**
 * race/no-check-then-insert
 *
 * Look up a row by its key, and insert it when it was not there: idempotency keys,
 * dedupe ("already processed this webhook?"), invitations, the manual upsert
 * (`if (row) update else insert`). Two requests both find nothing and both insert: a
 * duplicate, or, with a unique index, a unique-violation error for the second. The
 * longer the work between the lookup and the insert (a payment, an email), the wider the
 * window.
 *
 * A lock does not help: `SELECT … FOR UPDATE` locks the rows it finds, and there is no
 * row yet. The fix is to claim first: a unique index on the key and
 * `insert(…).onConflictDoNothing().returning()` as the decision (no row back: someone
 * else has it), or `onConflictDoUpdate(…)` for an upsert.
 *
 * Reported: an `insert` into the table a plain read looked in, without an ON CONFLICT
 * clause, under a test of that read (`if (!existing)`, `if (rows.length > 0) return`,
 * `if (row) … else insert`). Not reported: inserts with `onConflictDoNothing` /
 * `onConflictDoUpdate`; lookups made after the transaction took a lock (a parent row's
 * `FOR UPDATE`, `pg_advisory_xact_lock`), which serializes the check and the insert; and
 * SERIALIZABLE transactions.
 */
import { abbreviate } from "../lib/ast.js";
import { createAnalysis, DEFAULT_DB_OPTIONS, optionsSchema } from "../lib/analysis.js";
import { ruleDocsUrl } from "../lib/docs.js";
import { writeCall } from "../lib/drizzle.js";
import { guardsOf } from "../lib/paths.js";
import { decisionKind } from "../lib/reads.js";

const CONFLICT_LINKS = ["onConflictDoNothing", "onConflictDoUpdate", "onDuplicateKeyUpdate", "onConflict"];

/** @type {import('eslint').Rule.RuleModule} */
const rule = {
  meta: {
    type: "problem",
    docs: {
      description: "Disallow inserting a key after looking it up (check-then-insert); claim it with a unique key and ON CONFLICT instead",
      recommended: true,
      url: ruleDocsUrl("no-check-then-insert"),
    },
    schema: optionsSchema(),
    messages: {
      checkThenInsert:
        "This insert into `{{table}}` is decided by `{{guard}}`, the lookup on line {{readLine}}: two requests can both find " +
        "nothing and both insert (a duplicate, or a unique violation for one of them). Claim first: a unique index on the key " +
        "and `.onConflictDoNothing().returning()` as the decision (no row back: someone else has it), or " +
        "`.onConflictDoUpdate(…)` for an upsert.{{lockNote}}",
    },
  },

  create(context) {
    const { handles, transactions, reads, sourceCode } = createAnalysis(context, DEFAULT_DB_OPTIONS);

    return {
      /** @param {any} node */
      CallExpression(node) {
        const write = writeCall(node);
        if (!write || write.method !== "insert" || write.table === null || !handles.isHandle(write.handle)) return;
        if (CONFLICT_LINKS.some((name) => write.links.has(name))) return;
        if (transactions.strongIsolation(node)) return;

        for (const guard of guardsOf(node, handles.isTransactionCallback)) {
          const origin = reads.originsOf(guard.test).find(
            ({ read, ...rest }) =>
              read.table === write.table &&
              (read.where !== null || !read.relational) &&
              read.node.range[1] <= node.range[0] &&
              !transactions.lockedAt(read.node) &&
              !transactions.strongIsolation(read.node) &&
              decisionKind({ read, ...rest }) !== "version",
          );
          if (!origin) continue;
          context.report({
            node,
            messageId: "checkThenInsert",
            data: {
              table: write.table,
              guard: abbreviate(sourceCode.getText(guard.test)),
              readLine: String(origin.read.node.loc.start.line),
              lockNote: origin.read.locked ? " The `.for(\"update\")` on the lookup locks nothing: the row does not exist yet." : "",
            },
          });
          return;
        }
      },
    };
  },
};

export default rule;
