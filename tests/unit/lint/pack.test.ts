/**
 * The plugin as a user installs it: `npm pack` it into a temporary directory, install
 * the tarball into a scratch project (offline: it has no dependencies, and its ESLint
 * peer is this repo's, linked in, so the run is fast and deterministic), write a flat
 * config with `configs.recommended` and typed linting, and lint a broken and a fixed
 * file with the ESLint CLI. The broken file's handle is only known by its type, so this
 * also shows typed linting working from the installed package.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../../..");
const pluginRoot = path.join(root, "eslint-plugin-race");
const LINKED = ["eslint", "typescript-eslint", "typescript", "drizzle-orm"];

const BROKEN = `import { eq } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { pgTable, text, uuid } from "drizzle-orm/pg-core";

export const projects = pgTable("projects", { id: uuid("id").primaryKey(), title: text("title").notNull() });
export const audit = pgTable("audit", { id: uuid("id").primaryKey(), action: text("action").notNull() });

declare function connect(): PgDatabase<PgQueryResultHKT>;
const conn = connect();

export async function archive(id: string) {
  await conn.update(projects).set({ title: "archived" }).where(eq(projects.id, id));
  await conn.insert(audit).values({ id, action: "archive" });
}

export async function touch(id: string) {
  void conn.update(projects).set({ title: "touched" }).where(eq(projects.id, id));
}
`;

const FIXED = `import { eq } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";

import { audit, projects } from "./broken";

declare function connect(): PgDatabase<PgQueryResultHKT>;
const conn = connect();

export function archive(id: string) {
  return conn.transaction(async (tx) => {
    await tx.update(projects).set({ title: "archived" }).where(eq(projects.id, id));
    await tx.insert(audit).values({ id, action: "archive" });
  });
}
`;

const CONFIG = `import race from "eslint-plugin-race";
import tseslint from "typescript-eslint";

export default [
  {
    files: ["**/*.ts"],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
  race.configs.recommended,
];
`;

interface PackResult {
  filename: string;
  files: { path: string }[];
}

describe("eslint-plugin-race, packed and installed into a scratch project", () => {
  let work = "";
  let packed: PackResult;
  let project = "";

  beforeAll(() => {
    work = mkdtempSync(path.join(os.tmpdir(), "race-pack-"));
    const output = execFileSync("npm", ["pack", "--json", "--pack-destination", work], { cwd: pluginRoot, encoding: "utf8" });
    packed = (JSON.parse(output) as PackResult[])[0] as PackResult;

    project = path.join(work, "app");
    mkdirSync(path.join(project, "src"), { recursive: true });
    mkdirSync(path.join(project, "tests"), { recursive: true });
    writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "scratch-app", private: true, type: "module" }));
    execFileSync(
      "npm",
      ["install", "--offline", "--no-audit", "--no-fund", "--legacy-peer-deps", "--ignore-scripts", path.join(work, packed.filename)],
      { cwd: project, stdio: "pipe" },
    );
    for (const name of LINKED) symlinkSync(path.join(root, "node_modules", name), path.join(project, "node_modules", name), "dir");

    writeFileSync(path.join(project, "eslint.config.mjs"), CONFIG);
    writeFileSync(
      path.join(project, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: { target: "ES2022", module: "ESNext", moduleResolution: "Bundler", strict: true, skipLibCheck: true, noEmit: true },
        include: ["src", "tests"],
      }),
    );
    writeFileSync(path.join(project, "src/broken.ts"), BROKEN);
    writeFileSync(path.join(project, "src/fixed.ts"), FIXED);
    // The same broken code in a test file: the recommended config leaves tests out.
    writeFileSync(path.join(project, "tests/broken.test.ts"), BROKEN);
  }, 60_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("packs the rules, their docs and the README, and not the corpus or the tools", () => {
    const files = packed.files.map((file) => file.path);
    expect(files).toEqual(expect.arrayContaining(["index.js", "package.json", "README.md", "rules/no-check-then-insert.js", "lib/handles.js", "docs/rules/no-check-then-insert.md"]));
    expect(files.filter((file) => file.startsWith("corpus/") || file.startsWith("tools/"))).toEqual([]);
  });

  it("lints the broken file to its reports and the fixed file and the test file to none", () => {
    const run = spawnSync(process.execPath, [path.join(project, "node_modules/eslint/bin/eslint.js"), "--format", "json", "."], {
      cwd: project,
      encoding: "utf8",
    });
    const results = JSON.parse(run.stdout) as { filePath: string; messages: { line: number; ruleId: string | null; message: string }[] }[];
    const reports = results.flatMap((result) =>
      result.messages.map((message) => `${path.relative(project, result.filePath)}:${message.line} ${message.ruleId}`),
    );
    expect(reports.sort()).toEqual(["src/broken.ts:13 race/no-split-db-writes", "src/broken.ts:17 race/no-unawaited-write"]);
    // All were linted; the test file, with the same broken code, by no race rule.
    expect(results.map((result) => path.relative(project, result.filePath)).sort()).toEqual([
      "eslint.config.mjs",
      "src/broken.ts",
      "src/fixed.ts",
      "tests/broken.test.ts",
    ]);
    expect(run.status).toBe(1);
  }, 60_000);
});
