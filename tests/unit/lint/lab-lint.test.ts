/**
 * The race rules against this repository's own code, through the ESLint Node API:
 *
 * - the Race Lab's broken variants produce exactly the reports they should (no more, no
 *   fewer): this is what proves the rules catch the real bugs, and it is why the lab may
 *   be left out of the race rules in eslint.config.mjs;
 * - everything else in src/ produces none;
 * - both hold without type information (names decide what a database handle is) and
 *   with typed linting, as eslint.config.mjs runs them (types decide);
 * - eslint.config.mjs (what `npm run lint` runs) turns the rules on for the app and
 *   leaves only the lab out.
 *
 * Inline configuration is off in the first two, so an `eslint-disable` comment cannot
 * hide a report. Expected lines are found by searching the source for the flagged
 * statement, so small edits to those files do not break the test; a changed statement
 * does, on purpose.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

import { ESLint, type Linter } from "eslint";
import tseslint from "typescript-eslint";
import { beforeAll, describe, expect, it } from "vitest";

import race, { rules as raceRules } from "../../../eslint-plugin-race/index.js";

const root = path.resolve(import.meta.dirname, "../../..");

const NAIVE = "src/server/lab/welcome-reset/naive.ts";
const TRANSACTION_ONLY = "src/server/lab/welcome-reset/transaction-only.ts";
const NAIVE_ORCHESTRATOR = "src/server/lab/naive-orchestrator.ts";
const NAIVE_CHAT_PANEL = "src/app/lab/_components/workspace/NaiveChatPanel.tsx";
const RACE_RULES = Object.keys(raceRules).map((name) => `race/${name}`);

const MODES = [
  { mode: "without type information", parserOptions: { ecmaFeatures: { jsx: true } } },
  { mode: "with typed linting", parserOptions: { projectService: true, tsconfigRootDir: root } },
];

/** ESLint with only the race rules on (all of them, as recommended), parsing TS/TSX. */
function raceLinter(parserOptions: Linter.ParserOptions) {
  const config: Linter.Config[] = [
    {
      files: ["**/*.ts", "**/*.tsx"],
      languageOptions: { parser: tseslint.parser as Linter.Parser, parserOptions },
      plugins: { race },
      rules: race.configs.recommended.rules,
    },
  ];
  return new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: config, allowInlineConfig: false });
}

const brokenOnPurpose = (file: string) => file.startsWith("src/server/lab/") || file === NAIVE_CHAT_PANEL;

/** `file:line ruleId` for every message, fatal parse errors included (ruleId null). */
function reportsOf(results: ESLint.LintResult[]) {
  return results
    .flatMap((result) =>
      result.messages.map((message) => `${path.relative(root, result.filePath)}:${message.line} ${message.ruleId}`),
    )
    .sort();
}

/** The expected report for the single line of `file` containing `statement`. */
function expectedReport(file: string, statement: string, ruleId: string) {
  const lines = readFileSync(path.join(root, file), "utf8").split("\n");
  const matches = lines.flatMap((line, index) => (line.includes(statement) ? [index + 1] : []));
  if (matches.length !== 1) {
    throw new Error(`expected exactly one line of ${file} to contain ${JSON.stringify(statement)}, found ${matches.length}`);
  }
  return `${file}:${matches[0]} ${ruleId}`;
}

describe.each(MODES)("race rules on src/, $mode", ({ parserOptions }) => {
  let lab: ESLint.LintResult[] = [];
  let rest: ESLint.LintResult[] = [];

  beforeAll(async () => {
    const results = await raceLinter(parserOptions).lintFiles(["src/**/*.ts", "src/**/*.tsx"]);
    lab = results.filter((result) => brokenOnPurpose(path.relative(root, result.filePath)));
    rest = results.filter((result) => !brokenOnPurpose(path.relative(root, result.filePath)));
  }, 180_000);

  it("report exactly the racy statements of the Race Lab's broken variants, and nothing else there", () => {
    const linted = lab.map((result) => path.relative(root, result.filePath));
    expect(linted).toEqual(
      expect.arrayContaining([
        NAIVE,
        TRANSACTION_ONLY,
        NAIVE_ORCHESTRATOR,
        NAIVE_CHAT_PANEL,
        // Correct strategies that live in the lab: they must stay clean.
        "src/server/lab/welcome-reset/compare-and-set.ts",
        "src/server/lab/welcome-reset/single-statement.ts",
        "src/server/lab/lock-across-model-call.ts",
      ]),
    );

    expect(reportsOf(lab)).toEqual(
      [
        // The note's welcome reset: the second of two separate awaits on db.
        expectedReport(NAIVE, "await db.delete(scenes)", "race/no-split-db-writes"),
        // The note's transaction-only fix: both writes decided from a plain SELECT.
        expectedReport(TRANSACTION_ONLY, "await tx.update(projects)", "race/no-unlocked-read-before-write"),
        expectedReport(TRANSACTION_ONLY, "await tx.delete(scenes)", "race/no-unlocked-read-before-write"),
        // The note's orchestrator: registering in the constructor.
        expectedReport(NAIVE_ORCHESTRATOR, "this.registry.register(tool)", "race/no-register-in-constructor"),
        // The note's chat panel: the optimistic list merged with the query's.
        expectedReport(NAIVE_CHAT_PANEL, "[...serverMessages, ...optimisticMessages]", "race/no-merged-optimistic-list"),
      ].sort(),
    );
  });

  it("report nothing in the rest of src/, with inline eslint-disable comments ignored", () => {
    const linted = rest.map((result) => path.relative(root, result.filePath));
    expect(linted).toEqual(
      expect.arrayContaining([
        "src/server/services/generation/apply.ts",
        "src/server/services/generation/claim.ts",
        "src/server/services/generation/recovery.ts",
        "src/server/services/projects.ts",
        "src/server/services/brain/init.ts",
        "src/server/services/brain/orchestrator.ts",
        "src/server/services/brain/tools/registry.ts",
        "src/app/projects/[id]/generate/workspace/panels/ChatPanel.tsx",
      ]),
    );
    expect(reportsOf(rest)).toEqual([]);
  });
});

describe("eslint.config.mjs", () => {
  const repoLinter = () => new ESLint({ cwd: root });
  const ruleSettings = async (file: string) => {
    const config = (await repoLinter().calculateConfigForFile(path.join(root, file))) as Linter.Config;
    return config.rules ?? {};
  };

  it.each([
    "src/server/services/generation/apply.ts",
    "src/server/db/tx.ts",
    "src/app/projects/[id]/generate/workspace/panels/ChatPanel.tsx",
  ])("turns every race rule on as an error for %s", async (file) => {
    const rules = await ruleSettings(file);
    for (const ruleId of RACE_RULES) expect(rules[ruleId], ruleId).toEqual([2]);
  });

  it.each([NAIVE, TRANSACTION_ONLY, NAIVE_ORCHESTRATOR, NAIVE_CHAT_PANEL])(
    "leaves the race rules, and only them, off for the lab's %s",
    async (file) => {
      const rules = await ruleSettings(file);
      for (const ruleId of RACE_RULES) expect(rules[ruleId], ruleId).toBeUndefined();
      expect(rules["drizzle/enforce-delete-with-where"]).toEqual([2, { drizzleObjectName: ["db", "tx"] }]);
      expect(rules["@typescript-eslint/no-floating-promises"]).toEqual([2]);
    },
  );
});
