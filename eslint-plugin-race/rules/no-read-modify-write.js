/**
 * race/no-read-modify-write
 *
 * A column written from its own value as read earlier: `set({ tags: [...row.tags, tag] })`,
 * `set({ credits: user.credits - cost })`, `set({ props: { ...scene.props, ...patch } })`.
 * Two requests read the same value, each computes its new one, and the second write
 * overwrites the first's change (a lost update), inside a transaction or not (READ
 * COMMITTED does not stop it).
 *
 * Reported: a property of an update's `.set({…})` whose value is computed (not a plain
 * copy) from the same field of a row read with a plain select. The fix is to compute in
 * SQL from the current value (`sql\`${t.credits} - ${cost}\``, `array_append`, `jsonb ||`),
 * or to put the version you read in the WHERE and check `.returning()`.
 *
 * Not reported: `sql\`…\`` values; writes whose WHERE compares the column itself or a
 * version (compare-and-set, optimistic locking); locked reads and reads after a lock;
 * SERIALIZABLE transactions; and writes guarded by a JS version check without the version
 * in WHERE (race/no-version-check-in-js reports those, once).
 */
import { createAnalysis, DEFAULT_DB_OPTIONS, optionsSchema } from "../lib/analysis.js";
import { ruleDocsUrl } from "../lib/docs.js";
import { writeCall } from "../lib/drizzle.js";
import { createLostUpdates } from "../lib/lost-updates.js";
import { createVersionChecks } from "../lib/versions.js";

/** @type {import('eslint').Rule.RuleModule} */
const rule = {
  meta: {
    type: "problem",
    docs: {
      description: "Disallow writing a column from its own value read earlier (a lost update); compute it in SQL or check a version",
      recommended: true,
      url: ruleDocsUrl("no-read-modify-write"),
    },
    schema: optionsSchema(),
    messages: {
      readModifyWrite:
        "`{{column}}` is written from `{{source}}`, read on line {{readLine}}: two requests read the same value and the " +
        "second write drops the first one's change (a lost update). Compute it in SQL from the current value " +
        "(sql`${t.{{column}}} + 1`, sql`not ${t.{{column}}}`, array_append, jsonb ||), or put the version you read in the WHERE " +
        "(`and(eq(t.id, id), eq(t.version, row.version))`) and check `.returning()`.",
    },
  },

  create(context) {
    const analysis = createAnalysis(context, DEFAULT_DB_OPTIONS);
    const { handles, transactions, sourceCode } = analysis;
    const versions = createVersionChecks(analysis);
    const { lostUpdates } = createLostUpdates(analysis);

    return {
      /** @param {any} node */
      CallExpression(node) {
        const write = writeCall(node);
        if (!write || write.method !== "update" || !handles.isHandle(write.handle)) return;
        if (transactions.strongIsolation(node)) return;
        if (versions.uncheckedVersion(node, write.links.get("where")?.arguments[0] ?? null, write.table)) return;
        for (const { property, column, origin } of lostUpdates(node, write)) {
          const declarator = origin.read.node.parent?.type === "VariableDeclarator" ? origin.read.node.parent.id : null;
          const source = declarator ? sourceCode.getText(declarator).replace(/^\[|\]$/g, "").trim() : "the row";
          context.report({
            node: property,
            messageId: "readModifyWrite",
            data: { column, source: `${source}.${column}`, readLine: String(origin.read.node.loc.start.line) },
          });
        }
      },
    };
  },
};

export default rule;
