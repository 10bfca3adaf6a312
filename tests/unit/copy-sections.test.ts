/**
 * Each docs/patterns page's "Copy this pattern" section lists exactly what the pattern's
 * files and its test import now (scripts/lib/patterns.ts): an import added or removed makes
 * this fail until `npm run copy-patterns` rewrites the section (and copies the files into a
 * scratch project, where they must compile and their test pass).
 */
import { readFileSync } from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { copySection, PATTERNS } from "../../scripts/lib/patterns";

const root = path.resolve(import.meta.dirname, "../..");

describe("Copy this pattern", () => {
  it.each(PATTERNS.map((pattern) => [pattern.name, pattern] as const))("%s: the page lists the files its imports reach", (_name, pattern) => {
    const page = readFileSync(path.join(root, pattern.doc), "utf8");
    expect(page).toContain("## Copy this pattern");
    expect(page).toContain(copySection(pattern, root));
  });
});
