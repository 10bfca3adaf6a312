/**
 * The rule pages' examples are corpus cases, included verbatim, so the docs cannot
 * drift from what the rules are tested on. In docs/rules/<rule>.md:
 *
 *   <!-- corpus: <rule>/positive/<case>.ts -->      followed by a fenced ts/tsx block:
 *                                                   the block is the case's file
 *   <!-- corpus-index --> … <!-- /corpus-index -->  the list of all the rule's cases
 *
 * `renderPage` returns a page with both brought up to date; the docs test fails when a
 * page differs from its rendering, and `node eslint-plugin-race/tools/sync-docs.js`
 * writes the renderings. Not shipped in the package.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

import { corpusRoot, loadCorpus, pluginRoot } from "./corpus.js";

export const docsRoot = path.join(pluginRoot, "docs", "rules");

const EMBED = /<!-- corpus: ([\w./-]+) -->\n```(ts|tsx)\n(?:(?!```)[\s\S])*```/g;
const INDEX = /<!-- corpus-index -->[\s\S]*?<!-- \/corpus-index -->/;

/**
 * @param {string} rule
 * @returns {string}
 */
export function pagePath(rule) {
  return path.join(docsRoot, `${rule}.md`);
}

/**
 * The comment a case opens with (what it shows), as one line.
 * @param {string} text
 */
function summary(text) {
  const lines = text.split("\n").filter((line) => !line.startsWith('"use client"') && !line.startsWith("// corpus:"));
  const comment = [];
  for (const line of lines) {
    if (!line.startsWith("// ")) break;
    comment.push(line.slice(3).trim());
  }
  return comment.join(" ");
}

/**
 * The rule's cases as a Markdown list, positives first.
 * @param {string} rule
 */
export function renderIndex(rule) {
  const cases = loadCorpus().filter((c) => c.rule === rule);
  const lines = ["<!-- corpus-index -->"];
  for (const polarity of ["positive", "negative"]) {
    const group = cases.filter((c) => c.polarity === polarity);
    lines.push("", `${polarity === "positive" ? "Reported" : "Not reported"} (${group.length}):`, "");
    for (const c of group) {
      const text = readFileSync(path.join(corpusRoot, c.file), "utf8");
      const typed = c.typedOnly ? " *(typed linting only)*" : "";
      lines.push(`- [\`${path.basename(c.file)}\`](../../corpus/${c.file})${typed}: ${summary(text)}`);
    }
  }
  lines.push("", "<!-- /corpus-index -->");
  return lines.join("\n");
}

/**
 * The page with every embedded case and the case index as the corpus has them.
 * @param {string} rule
 * @param {string} page
 */
export function renderPage(rule, page) {
  const embedded = page.replace(EMBED, (_match, file, lang) => {
    const text = readFileSync(path.join(corpusRoot, file), "utf8").replace(/\n$/, "");
    return `<!-- corpus: ${file} -->\n\`\`\`${lang}\n${text}\n\`\`\``;
  });
  return embedded.replace(INDEX, renderIndex(rule));
}

/**
 * The corpus files a page embeds.
 * @param {string} page
 * @returns {string[]}
 */
export function embeddedCases(page) {
  return [...page.matchAll(EMBED)].map((match) => match[1] ?? "");
}
