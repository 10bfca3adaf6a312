/**
 * Where a rule's documentation lives: `docs/rules/<rule>.md` inside this package, as a
 * file URL (editors and `eslint --format` output open it). The pages ship in the package
 * (`files` in package.json), so the link works from node_modules too.
 */

/**
 * @param {string} ruleName a rule's name without the `race/` prefix
 * @returns {string}
 */
export function ruleDocsUrl(ruleName) {
  return new URL(`../docs/rules/${ruleName}.md`, import.meta.url).href;
}
