/**
 * Read-modify-write of a column: a property of an update's `.set({…})` computed (not
 * copied) from the same field of a row read with a plain select
 * (`set({ tags: [...row.tags, tag] })`, `set({ credits: user.credits - cost })`).
 * Shared by race/no-read-modify-write, which reports it, and
 * race/no-unlocked-read-before-write, which leaves a write to it when the field it was
 * decided on is the one being modified (one mistake, one report).
 */
import { resolveVariable, unwrap } from "./ast.js";
import { isSqlTemplate, mentionedColumns, propertyKey, VERSION_FIELD } from "./drizzle.js";

/**
 * @param {ReturnType<typeof import('./analysis.js').createAnalysis>} analysis
 */
export function createLostUpdates({ reads, sourceCode }) {
  /**
   * True when `value` computes something, rather than copying a value as it is.
   * @param {any} value
   * @param {Set<any>} seen
   * @returns {boolean}
   */
  function isComputed(value, seen) {
    const node = unwrap(value);
    if (!node) return false;
    switch (node.type) {
      case "Literal":
      case "MemberExpression":
      case "AwaitExpression":
        return false;
      case "Identifier": {
        const variable = resolveVariable(sourceCode, node);
        const def = variable?.defs[0];
        if (!variable || seen.has(variable) || def?.type !== "Variable" || def.node.id !== def.name || !def.node.init) return false;
        seen.add(variable);
        return isComputed(def.node.init, seen);
      }
      case "LogicalExpression":
        return isComputed(node.left, seen) || isComputed(node.right, seen);
      case "ConditionalExpression":
        // `set({ enabled: flag.enabled ? false : true })`: decided by the old value.
        return true;
      default:
        return true;
    }
  }

  /**
   * The lost updates in an update: each `.set` property computed from its own column's
   * stale value, with the read it came from. None when the WHERE compares a version or
   * that column (optimistic locking, compare-and-set).
   * @param {any} node the write call
   * @param {import('./drizzle.js').Write} write
   * @returns {{ property: any, column: string, origin: import('./reads.js').Origin }[]}
   */
  function lostUpdates(node, write) {
    if (write.method !== "update") return [];
    const values = unwrap(write.links.get("set")?.arguments[0]);
    if (values?.type !== "ObjectExpression") return [];
    const where = write.links.get("where")?.arguments[0] ?? null;
    const whereColumns = where ? mentionedColumns(where, sourceCode.visitorKeys) : new Set();
    if ([...whereColumns].some((column) => VERSION_FIELD.test(column))) return [];
    /** @type {{ property: any, column: string, origin: import('./reads.js').Origin }[]} */
    const found = [];
    for (const property of values.properties) {
      if (property.type !== "Property") continue;
      const column = propertyKey(property);
      if (column === null || whereColumns.has(column) || isSqlTemplate(property.value)) continue;
      if (!isComputed(property.value, new Set())) continue;
      const origin = reads
        .originsOf(property.value)
        .find(
          (candidate) =>
            !candidate.read.guarded &&
            candidate.fields.includes(column) &&
            candidate.read.node.range[1] <= node.range[0] &&
            (write.table === null || candidate.read.table === null || candidate.read.table === write.table),
        );
      if (origin) found.push({ property, column, origin });
    }
    return found;
  }

  return { lostUpdates };
}
