import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "vitest";

import race, { rules } from "../../../eslint-plugin-race/index.js";

const root = path.resolve(import.meta.dirname, "../../..");
const docsPage = readFileSync(path.join(root, "docs/patterns/lint-rules.md"), "utf8");

describe("eslint-plugin-race", () => {
  it("names itself and exposes the four rules", () => {
    expect(race.meta?.name).toBe("eslint-plugin-race");
    expect(Object.keys(rules).sort()).toEqual([
      "no-merged-optimistic-list",
      "no-register-in-constructor",
      "no-split-db-writes",
      "no-unlocked-read-before-write",
    ]);
  });

  it("recommends every rule as an error, under the race/ prefix it registers", () => {
    const recommended = race.configs.recommended;
    expect(recommended.plugins?.race).toBe(race);
    expect(recommended.rules).toEqual(
      Object.fromEntries(Object.keys(rules).map((name) => [`race/${name}`, "error"])),
    );
  });

  it.each(Object.entries(rules))("%s documents itself and links to its section of lint-rules.md", (name, rule) => {
    expect(rule.meta?.docs?.description).toBeTruthy();
    expect(rule.meta?.type).toBe("problem");
    const url = new URL(rule.meta?.docs?.url ?? "");
    expect(fileURLToPath(url)).toBe(path.join(root, "docs/patterns/lint-rules.md"));
    expect(url.hash).toBe(`#race-${name}`);
    expect(docsPage).toContain(`<a id="race-${name}"></a>`);
    expect(docsPage).toContain(`## \`race/${name}\``);
  });
});
