/**
 * Every rule has its page, docs/rules/<rule>.md in the package, and the page's code
 * examples are corpus cases included verbatim (`<!-- corpus: … -->` blocks), with the
 * list of all the rule's cases: a page that drifts from the corpus fails here.
 * `node eslint-plugin-race/tools/sync-docs.js` brings them up to date.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { ruleNames } from "../../../eslint-plugin-race/tools/corpus.js";
import { embeddedCases, pagePath, renderPage } from "../../../eslint-plugin-race/tools/docs.js";

const readme = readFileSync(path.resolve(import.meta.dirname, "../../../eslint-plugin-race/README.md"), "utf8");

describe.each(ruleNames)("docs/rules/%s.md", (rule) => {
  const file = pagePath(rule);
  const page = existsSync(file) ? readFileSync(file, "utf8") : "";

  it("exists, and its embedded cases and case list are the corpus as it is", () => {
    expect(page).not.toBe("");
    expect(renderPage(rule, page)).toBe(page);
  });

  it("shows broken and fixed code of this rule from the corpus, and no other TypeScript", () => {
    const cases = embeddedCases(page);
    expect(cases.some((c) => c.startsWith(`${rule}/positive/`))).toBe(true);
    expect(cases.some((c) => c.startsWith(`${rule}/negative/`))).toBe(true);
    const fences = page.match(/^```(?:ts|tsx|typescript|js|jsx)$/gm) ?? [];
    expect(fences.length).toBe(cases.length);
  });

  it("is linked from the package README", () => {
    expect(readme).toContain(`(docs/rules/${rule}.md)`);
  });
});
