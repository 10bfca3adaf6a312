/**
 * ESLint's RuleTester, run by Vitest. RuleTester calls `describe`/`it` itself; pointing
 * its hooks at Vitest's makes every valid and invalid case a Vitest test. Code is parsed
 * by typescript-eslint's parser (no type information: the race rules are syntactic),
 * with JSX on for the React rule.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

import { RuleTester } from "eslint";
import tseslint from "typescript-eslint";
import { describe, it } from "vitest";

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

export function createRuleTester() {
  return new RuleTester({
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { ecmaFeatures: { jsx: true } },
      ecmaVersion: "latest",
      sourceType: "module",
    },
  });
}

/** Strips the common indentation so snippets can be written indented in a test file. */
export function code(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = String.raw({ raw: strings }, ...values).replace(/^\n/, "").replace(/\n\s*$/, "\n");
  const indents = text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => /^ */.exec(line)?.[0].length ?? 0);
  const indent = Math.min(...indents);
  return text
    .split("\n")
    .map((line) => line.slice(indent))
    .join("\n");
}

/** The 1-based line of the `occurrence`-th line of `text` containing `needle`. */
export function lineOf(text: string, needle: string, occurrence = 1): number {
  let seen = 0;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]?.includes(needle) && ++seen === occurrence) return i + 1;
  }
  throw new Error(`"${needle}" (occurrence ${occurrence}) not found in:\n${text}`);
}

/** A file of this repo, read as it is: cases about the app's own code lint the real thing. */
export function sourceOf(file: string): string {
  return readFileSync(path.join(import.meta.dirname, "..", "..", "..", file), "utf8");
}
