/**
 * The plugin as a package: its rules, its recommended config, each rule's own doc page
 * (the URL ESLint shows), and its package.json.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { Linter } from "eslint";
import { describe, expect, it } from "vitest";

import race, { RECOMMENDED_IGNORES, rules } from "../../../eslint-plugin-race/index.js";

const root = path.resolve(import.meta.dirname, "../../..");
const pluginRoot = path.join(root, "eslint-plugin-race");
const packageJson = JSON.parse(readFileSync(path.join(pluginRoot, "package.json"), "utf8")) as {
  name: string;
  version: string;
  type: string;
  exports: Record<string, string>;
  files: string[];
  peerDependencies: Record<string, string>;
  dependencies?: Record<string, string>;
};
const lintRulesPage = readFileSync(path.join(root, "docs/patterns/lint-rules.md"), "utf8");

const RULES = [
  "no-check-then-insert",
  "no-merged-optimistic-list",
  "no-mirrored-server-state",
  "no-outer-db-in-transaction",
  "no-parallel-tx-queries",
  "no-read-modify-write",
  "no-register-in-constructor",
  "no-split-db-writes",
  "no-unawaited-write",
  "no-unlocked-read-before-write",
  "no-version-check-in-js",
];

describe("eslint-plugin-race", () => {
  it("names itself as its package.json does and exposes the eleven rules", () => {
    expect(race.meta?.name).toBe(packageJson.name);
    expect(race.meta?.version).toBe(packageJson.version);
    expect(Object.keys(rules).sort()).toEqual(RULES);
  });

  it("recommends every rule as an error, under the race/ prefix it registers", () => {
    const recommended = race.configs.recommended;
    expect(recommended.plugins?.race).toBe(race);
    expect(recommended.rules).toEqual(Object.fromEntries(Object.keys(rules).map((name) => [`race/${name}`, "error"])));
  });

  it("applies the recommended config to app code and leaves tests, scripts and fixtures out", () => {
    const linter = new Linter({ configType: "flat" });
    const config = [race.configs.recommended];
    const code = "await db.update(a).set({ x: 1 });\nawait db.delete(b);\n";
    const reports = (filename: string) =>
      linter.verify(code, config, { filename }).filter((message) => message.ruleId === "race/no-split-db-writes").length;
    expect(reports("src/server/archive.mjs")).toBe(1);
    for (const ignored of [
      "src/server/archive.test.mjs",
      "tests/integration/archive.mjs",
      "scripts/seed.mjs",
      "src/__fixtures__/archive.mjs",
      "drizzle/migrate.mjs",
      "e2e/archive.spec.mjs",
    ]) {
      expect(reports(ignored), ignored).toBe(0);
    }
    expect(RECOMMENDED_IGNORES.length).toBeGreaterThan(0);
  });

  it.each(Object.entries(rules))("%s documents itself on its own page in the package", (name, rule) => {
    expect(rule.meta?.docs?.description).toBeTruthy();
    expect(rule.meta?.type).toBe("problem");
    const url = new URL(rule.meta?.docs?.url ?? "");
    const page = fileURLToPath(url);
    expect(page).toBe(path.join(pluginRoot, "docs/rules", `${name}.md`));
    expect(existsSync(page)).toBe(true);
    expect(readFileSync(page, "utf8")).toMatch(new RegExp(`^# \`race/${name}\``));
    // The repo's overview page has a section for it too.
    expect(lintRulesPage).toContain(`<a id="race-${name}"></a>`);
  });

  it("is a package of its own: ESM, no dependencies, ESLint as a peer, docs shipped", () => {
    expect(packageJson.type).toBe("module");
    expect(packageJson.exports["."]).toBe("./index.js");
    expect(packageJson.dependencies ?? {}).toEqual({});
    expect(packageJson.peerDependencies.eslint).toMatch(/9/);
    expect(packageJson.files).toEqual(expect.arrayContaining(["index.js", "lib", "rules", "docs", "README.md"]));
    expect(packageJson.files).not.toContain("corpus");
  });
});
