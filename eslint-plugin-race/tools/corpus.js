/**
 * The corpus harness: lints every case under corpus/<rule>/{positive,negative}/ with
 * all the race rules, compares the reports with the `// expect: race/<rule>` comments
 * on the reported lines, and scores each rule (true positives, false positives,
 * misses, precision, recall). Used by tests/unit/lint/corpus.test.ts and by
 * `node eslint-plugin-race/tools/corpus-report.js` (which prints the table).
 *
 * A case that only holds with type information starts with `// corpus: typed-only`
 * and is skipped when linting without types. Not shipped in the package.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { ESLint } from "eslint";
import tseslint from "typescript-eslint";

import race, { rules } from "../index.js";

export const pluginRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const corpusRoot = path.join(pluginRoot, "corpus");
export const ruleNames = Object.keys(rules);

const EXPECT = /\/\/ expect: (race\/[\w-]+(?:\s*,\s*race\/[\w-]+)*)/;

/**
 * @typedef {{ file: string, rule: string, polarity: "positive" | "negative", typedOnly: boolean, expected: string[] }} CorpusCase
 *   `file` relative to corpus/, `expected` as `line ruleId`
 */

/** @returns {CorpusCase[]} */
export function loadCorpus() {
  /** @type {CorpusCase[]} */
  const cases = [];
  for (const rule of ruleNames) {
    for (const polarity of /** @type {const} */ (["positive", "negative"])) {
      const dir = path.join(corpusRoot, rule, polarity);
      let entries = [];
      try {
        entries = readdirSync(dir).filter((name) => /\.tsx?$/.test(name)).sort();
      } catch {
        entries = [];
      }
      for (const name of entries) {
        const file = path.join(rule, polarity, name);
        const text = readFileSync(path.join(corpusRoot, file), "utf8");
        const expected = text.split("\n").flatMap((line, index) => {
          const match = EXPECT.exec(line);
          return match ? (match[1] ?? "").split(",").map((id) => `${index + 1} ${id.trim()}`) : [];
        });
        cases.push({ file, rule, polarity, typedOnly: /^\/\/ corpus: typed-only/m.test(text), expected });
      }
    }
  }
  return cases;
}

/**
 * @param {{ typed: boolean }} mode
 */
function corpusLinter({ typed }) {
  return new ESLint({
    cwd: corpusRoot,
    overrideConfigFile: true,
    allowInlineConfig: false,
    overrideConfig: [
      {
        files: ["**/*.ts", "**/*.tsx"],
        languageOptions: {
          parser: /** @type {any} */ (tseslint.parser),
          parserOptions: typed
            ? { project: [path.join(corpusRoot, "tsconfig.json")], tsconfigRootDir: corpusRoot }
            : { ecmaFeatures: { jsx: true } },
        },
        plugins: { race },
        rules: race.configs.recommended.rules,
      },
    ],
  });
}

/**
 * Lints the corpus; returns each case with its actual reports (`line ruleId`), and any
 * fatal parse errors.
 * @param {{ typed: boolean }} mode
 */
export async function lintCorpus(mode) {
  const cases = loadCorpus().filter((c) => mode.typed || !c.typedOnly);
  const results = await corpusLinter(mode).lintFiles(cases.map((c) => path.join(corpusRoot, c.file)));
  const byFile = new Map(results.map((result) => [path.relative(corpusRoot, result.filePath), result]));
  return cases.map((c) => {
    const messages = byFile.get(c.file)?.messages ?? [];
    return {
      ...c,
      actual: messages.map((m) => `${m.line} ${m.ruleId ?? `fatal: ${m.message}`}`),
      messages,
    };
  });
}

/**
 * Per rule: cases, true positives, false positives, misses, precision and recall.
 * @param {Awaited<ReturnType<typeof lintCorpus>>} linted
 */
export function scoreCorpus(linted) {
  return ruleNames.map((rule) => {
    const ruleId = `race/${rule}`;
    let truePositives = 0;
    /** @type {string[]} */
    const falsePositives = [];
    /** @type {string[]} */
    const misses = [];
    for (const c of linted) {
      const expected = c.expected.filter((e) => e.endsWith(` ${ruleId}`));
      const actual = c.actual.filter((a) => a.endsWith(` ${ruleId}`));
      for (const report of actual) {
        if (expected.includes(report)) truePositives++;
        else falsePositives.push(`${c.file}:${report}`);
      }
      for (const expectation of expected) if (!actual.includes(expectation)) misses.push(`${c.file}:${expectation}`);
    }
    const positives = linted.filter((c) => c.rule === rule && c.polarity === "positive").length;
    const negatives = linted.filter((c) => c.rule === rule && c.polarity === "negative").length;
    const reported = truePositives + falsePositives.length;
    const expectedCount = truePositives + misses.length;
    return {
      rule: ruleId,
      positives,
      negatives,
      expected: expectedCount,
      truePositives,
      falsePositives,
      misses,
      precision: reported === 0 ? 1 : truePositives / reported,
      recall: expectedCount === 0 ? 1 : truePositives / expectedCount,
    };
  });
}

/** @param {number} value */
const percent = (value) => `${(value * 100).toFixed(1)} %`;

/**
 * The score as a Markdown table (also readable in a terminal).
 * @param {ReturnType<typeof scoreCorpus>} scores
 */
export function formatTable(scores) {
  const rows = scores.map((s) => [
    `\`${s.rule}\``,
    String(s.positives),
    String(s.negatives),
    String(s.expected),
    String(s.truePositives),
    String(s.falsePositives.length),
    String(s.misses.length),
    percent(s.precision),
    percent(s.recall),
  ]);
  const total = scores.reduce(
    (sum, s) => ({
      positives: sum.positives + s.positives,
      negatives: sum.negatives + s.negatives,
      expected: sum.expected + s.expected,
      tp: sum.tp + s.truePositives,
      fp: sum.fp + s.falsePositives.length,
      fn: sum.fn + s.misses.length,
    }),
    { positives: 0, negatives: 0, expected: 0, tp: 0, fp: 0, fn: 0 },
  );
  rows.push([
    "**all rules**",
    String(total.positives),
    String(total.negatives),
    String(total.expected),
    String(total.tp),
    String(total.fp),
    String(total.fn),
    percent(total.tp + total.fp === 0 ? 1 : total.tp / (total.tp + total.fp)),
    percent(total.expected === 0 ? 1 : total.tp / total.expected),
  ]);
  const header = ["Rule", "Positive cases", "Negative cases", "Expected reports", "True positives", "False positives", "Misses", "Precision", "Recall"];
  return [header, header.map(() => "---"), ...rows].map((row) => `| ${row.join(" | ")} |`).join("\n");
}
