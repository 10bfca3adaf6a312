/**
 * The corpus (eslint-plugin-race/corpus/<rule>/{positive,negative}/): cases written for
 * this plugin in the shapes of real Next.js + tRPC + Drizzle code and in the traps real
 * code sets (exclusive paths, claim-first inserts, conditional writes, off-request-path
 * timers, form drafts). Every reported line is marked `// expect: race/<rule>` in its file.
 * The whole corpus is linted with all the rules, with typed linting (as
 * eslint.config.mjs runs) and without type information; the table per rule is printed,
 * and docs/patterns/lint-rules.md must show the same table.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

import { beforeAll, describe, expect, it } from "vitest";

import { formatTable, lintCorpus, loadCorpus, ruleNames, scoreCorpus } from "../../../eslint-plugin-race/tools/corpus.js";

const root = path.resolve(import.meta.dirname, "../../..");
const overview = readFileSync(path.join(root, "docs/patterns/lint-rules.md"), "utf8");
const RULE_IDS = new Set(ruleNames.map((name) => `race/${name}`));

describe("the corpus's cases", () => {
  const cases = loadCorpus();

  it("has at least 60 positive and 60 negative cases, and both kinds for every rule", () => {
    expect(cases.filter((c) => c.polarity === "positive").length).toBeGreaterThanOrEqual(60);
    expect(cases.filter((c) => c.polarity === "negative").length).toBeGreaterThanOrEqual(60);
    for (const rule of ruleNames) {
      expect(cases.filter((c) => c.rule === rule && c.polarity === "positive").length, rule).toBeGreaterThanOrEqual(2);
      expect(cases.filter((c) => c.rule === rule && c.polarity === "negative").length, rule).toBeGreaterThanOrEqual(2);
    }
  });

  it.each(cases.map((c) => [c.file, c] as const))("%s: its expectations fit its folder", (_file, c) => {
    for (const expectation of c.expected) expect(RULE_IDS.has(expectation.split(" ")[1] ?? ""), expectation).toBe(true);
    const own = c.expected.filter((e) => e.endsWith(` race/${c.rule}`));
    if (c.polarity === "positive") expect(own.length).toBeGreaterThan(0);
    else expect(own).toEqual([]);
  });
});

describe.each([
  { typed: true, mode: "with typed linting" },
  { typed: false, mode: "without type information" },
])("the rules on the corpus, $mode", ({ typed, mode }) => {
  let linted: Awaited<ReturnType<typeof lintCorpus>> = [];
  let scores: ReturnType<typeof scoreCorpus> = [];

  beforeAll(async () => {
    linted = await lintCorpus({ typed });
    scores = scoreCorpus(linted);
    console.log(`\nCorpus, ${mode}:\n\n${formatTable(scores)}\n`);
    for (const s of scores) {
      for (const fp of s.falsePositives) console.log(`  false positive ${s.rule}: ${fp}`);
      for (const miss of s.misses) console.log(`  miss ${s.rule}: ${miss}`);
    }
  }, 180_000);

  it("parse every case", () => {
    const fatal = linted.flatMap((c) => c.messages.filter((m) => m.fatal).map((m) => `${c.file}:${m.line} ${m.message}`));
    expect(fatal).toEqual([]);
    expect(linted.length).toBeGreaterThan(0);
  });

  it("find every expected report (recall 100 %) with precision of at least 95 %, for every rule", () => {
    for (const s of scores) {
      expect(s.misses, `${s.rule} missed`).toEqual([]);
      expect(s.precision, `${s.rule} precision (false positives: ${s.falsePositives.join(", ")})`).toBeGreaterThanOrEqual(0.95);
    }
  });

  it("are what docs/patterns/lint-rules.md shows", () => {
    const marker = typed ? "typed" : "untyped";
    expect(overview).toContain(`<!-- corpus-table:${marker} -->\n${formatTable(scores)}\n<!-- /corpus-table:${marker} -->`);
  });
});
