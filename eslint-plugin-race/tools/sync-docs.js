/**
 * Brings the rule pages' embedded corpus cases and case lists up to date, and with
 * `--tables` the corpus tables in docs/patterns/lint-rules.md (between
 * `<!-- corpus-table:typed -->` / `<!-- corpus-table:untyped -->` and their closing
 * markers), from a fresh corpus run.
 *
 *   node eslint-plugin-race/tools/sync-docs.js [--tables]
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

import { formatTable, lintCorpus, pluginRoot, ruleNames, scoreCorpus } from "./corpus.js";
import { pagePath, renderPage } from "./docs.js";

for (const rule of ruleNames) {
  const file = pagePath(rule);
  const page = readFileSync(file, "utf8");
  const rendered = renderPage(rule, page);
  if (rendered !== page) {
    writeFileSync(file, rendered);
    console.log(`updated ${path.relative(process.cwd(), file)}`);
  }
}

if (process.argv.includes("--tables")) {
  const overview = path.join(pluginRoot, "..", "docs", "patterns", "lint-rules.md");
  let text = readFileSync(overview, "utf8");
  for (const typed of [true, false]) {
    const marker = typed ? "typed" : "untyped";
    const table = formatTable(scoreCorpus(await lintCorpus({ typed })));
    text = text.replace(
      new RegExp(`<!-- corpus-table:${marker} -->[\\s\\S]*?<!-- /corpus-table:${marker} -->`),
      `<!-- corpus-table:${marker} -->\n${table}\n<!-- /corpus-table:${marker} -->`,
    );
  }
  writeFileSync(overview, text);
  console.log(`updated ${path.relative(process.cwd(), overview)}`);
}
