/**
 * Versions compared in JS: `if (scene.version !== input.expectedVersion) throw …` on a
 * row read with a plain select, guarding a later write. Shared by
 * race/no-version-check-in-js (which reports the write when its WHERE leaves the version
 * out) and race/no-read-modify-write (which leaves such writes to it, so one mistake is
 * one report).
 */
import { walk } from "./ast.js";
import { mentionedColumns, VERSION_FIELD } from "./drizzle.js";
import { guardsOf } from "./paths.js";

const COMPARISONS = new Set(["===", "!==", "==", "!=", "<", ">", "<=", ">="]);

/**
 * @param {ReturnType<typeof import('./analysis.js').createAnalysis>} analysis
 */
export function createVersionChecks({ handles, reads, sourceCode }) {
  /**
   * The version comparison guarding `node` whose version is not in `where`, if any:
   * the comparison, the side read from the row, the other side, and the read.
   * @param {any} node the write call
   * @param {any} where the write's WHERE expression (or null)
   * @param {string | null} table the write's table
   * @returns {{ compare: any, expected: any, origin: import('./reads.js').Origin } | null}
   */
  function uncheckedVersion(node, where, table) {
    const inWhere = where ? [...mentionedColumns(where, sourceCode.visitorKeys)].some((column) => VERSION_FIELD.test(column)) : false;
    if (inWhere) return null;
    for (const guard of guardsOf(node, handles.isTransactionCallback)) {
      /** @type {{ compare: any, expected: any, origin: import('./reads.js').Origin } | null} */
      let found = null;
      walk(guard.test, sourceCode.visitorKeys, (child) => {
        if (found) return false;
        if (child.type !== "BinaryExpression" || !COMPARISONS.has(child.operator)) return undefined;
        for (const [side, other] of [[child.left, child.right], [child.right, child.left]]) {
          const origin = reads.originsOf(side).find(
            (candidate) =>
              !candidate.read.guarded &&
              candidate.read.node.range[1] <= node.range[0] &&
              candidate.fields.some((field) => VERSION_FIELD.test(field)) &&
              (table === null || candidate.read.table === null || candidate.read.table === table),
          );
          if (origin) {
            found = { compare: child, expected: other, origin };
            return false;
          }
        }
        return undefined;
      });
      if (found) return found;
    }
    return null;
  }

  return { uncheckedVersion };
}
