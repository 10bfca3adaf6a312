/**
 * race/no-version-check-in-js
 *
 * Optimistic locking done halfway: the version (or `updatedAt`, `revision`, `etag`) of a
 * row read with a plain select is compared in JS with the one the client sent, and then
 * the row is written by its id alone. A write committed between the read and this one
 * passes the check and is silently overwritten: the check only narrows the window.
 *
 * Reported: an `update` / `delete` (on a handle) guarded by such a comparison
 * (`if (row.version !== expected) throw …; await db.update(t)…`, or the write inside
 * `if (row.version === expected)`) whose WHERE mentions no version column. The fix is
 * the version in the WHERE (`and(eq(t.id, id), eq(t.version, expected))`), the bump in
 * SQL, and an empty `.returning()` as the conflict. Not reported when the read locked
 * the row (`.for("update")`) or a lock was taken before it, or in SERIALIZABLE.
 */
import { abbreviate } from "../lib/ast.js";
import { createAnalysis, DEFAULT_DB_OPTIONS, optionsSchema } from "../lib/analysis.js";
import { ruleDocsUrl } from "../lib/docs.js";
import { VERSION_FIELD, writeCall } from "../lib/drizzle.js";
import { createVersionChecks } from "../lib/versions.js";

/** @type {import('eslint').Rule.RuleModule} */
const rule = {
  meta: {
    type: "problem",
    docs: {
      description: "Disallow comparing a row's version in JS and then writing without that version in the WHERE",
      recommended: true,
      url: ruleDocsUrl("no-version-check-in-js"),
    },
    schema: optionsSchema(),
    messages: {
      versionInJs:
        "`{{compare}}` (line {{compareLine}}) checks the version in JS, but this `{{method}}`'s WHERE does not: a write " +
        "committed after the read on line {{readLine}} passes the check and is overwritten. Put the version in the WHERE " +
        "(`and(eq(t.id, id), eq(t.{{field}}, {{expected}}))`), bump it in SQL (sql`${t.{{field}}} + 1`) and treat an " +
        "empty `.returning()` as the conflict.",
    },
  },

  create(context) {
    const analysis = createAnalysis(context, DEFAULT_DB_OPTIONS);
    const { handles, transactions, sourceCode } = analysis;
    const versions = createVersionChecks(analysis);

    return {
      /** @param {any} node */
      CallExpression(node) {
        const write = writeCall(node);
        if (!write || write.method === "insert" || !handles.isHandle(write.handle)) return;
        if (transactions.strongIsolation(node)) return;
        const found = versions.uncheckedVersion(node, write.links.get("where")?.arguments[0] ?? null, write.table);
        if (!found) return;
        const field = found.origin.fields.findLast((name) => VERSION_FIELD.test(name)) ?? "version";
        context.report({
          node,
          messageId: "versionInJs",
          data: {
            compare: abbreviate(sourceCode.getText(found.compare)),
            compareLine: String(found.compare.loc.start.line),
            method: write.method,
            readLine: String(found.origin.read.node.loc.start.line),
            field,
            expected: abbreviate(sourceCode.getText(found.expected), 40),
          },
        });
      },
    };
  },
};

export default rule;
