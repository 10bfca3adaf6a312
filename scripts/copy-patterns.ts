/**
 * `npm run copy-patterns`: each pattern of scripts/lib/patterns.ts, lifted out as a reader
 * would. Its files, its test and exactly what their imports reach (and nothing else) are
 * copied into a new scratch project; there `tsc --noEmit` must pass and the test must pass,
 * on an embedded PostgreSQL of the scratch project's own. Then each docs/patterns page's
 * "Copy this pattern" section is rewritten from the same closure.
 *   npm run copy-patterns [-- <part of a pattern name>]
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { closureOf, COPY_BEGIN, COPY_END, copySection, PATTERNS, type Pattern } from "./lib/patterns";

const root = process.cwd();

function run(command: string, args: string[], cwd: string) {
  const started = Date.now();
  const result = spawnSync(command, args, { cwd, encoding: "utf8", env: { ...process.env, DATABASE_URL: undefined, FORCE_COLOR: "0", NO_COLOR: "1" } });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}`, seconds: Math.round((Date.now() - started) / 1000) };
}

/** A scratch project holding only the pattern's closure; `tsc` and its test run there. */
function check(pattern: Pattern) {
  const { all } = closureOf(pattern, root);
  const dir = mkdtempSync(path.join(tmpdir(), "race-safe-copy-"));
  try {
    for (const file of all.files) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      cpSync(path.join(root, file), path.join(dir, file));
    }
    // Migrations are data the migrator reads from ./drizzle, not an import.
    if (all.files.includes("src/server/db/migrate.ts")) cpSync(path.join(root, "drizzle"), path.join(dir, "drizzle"), { recursive: true });
    writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "scratch-copy", private: true, type: "module" }));
    const tsconfig = JSON.parse(readFileSync(path.join(root, "tsconfig.json"), "utf8")) as { compilerOptions: Record<string, unknown> };
    tsconfig.compilerOptions.incremental = false;
    writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ ...tsconfig, include: ["**/*.ts", "**/*.tsx"], exclude: ["node_modules"] }));
    symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"), "dir");

    const typecheck = run(process.execPath, [path.join(root, "node_modules/typescript/bin/tsc"), "--noEmit", "-p", "."], dir);
    const test = typecheck.ok
      ? run(process.execPath, [path.join(root, "node_modules/vitest/vitest.mjs"), "run", pattern.test], dir)
      : { ok: false, output: "not run: the copy does not compile", seconds: 0 };
    const tests = /Tests\s+(\d+) passed/.exec(test.output)?.[1];
    return { pattern, files: all.files.length, typecheck, test, tests: tests ? Number(tests) : 0 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function writeSection(pattern: Pattern) {
  const doc = readFileSync(path.join(root, pattern.doc), "utf8");
  const section = copySection(pattern, root);
  const from = doc.indexOf(COPY_BEGIN);
  const to = doc.indexOf(COPY_END);
  const next =
    from >= 0 && to > from
      ? `${doc.slice(0, from)}${section}${doc.slice(to + COPY_END.length)}`
      : `${doc.trimEnd()}\n\n## Copy this pattern\n\n${section}\n`;
  writeFileSync(path.join(root, pattern.doc), next);
}

const filter = process.argv[2];
const results = PATTERNS.filter((pattern) => !filter || pattern.name.includes(filter)).map((pattern) => {
  console.log(`[copy] ${pattern.name} …`);
  const result = check(pattern);
  if (!result.typecheck.ok || !result.test.ok) console.log((result.typecheck.ok ? result.test : result.typecheck).output.slice(-4000));
  return result;
});
for (const pattern of PATTERNS) writeSection(pattern);

console.log("\n| Pattern | files copied | tsc | test | tests | seconds |\n| --- | --- | --- | --- | --- | --- |");
for (const { pattern, files, typecheck, test, tests } of results) {
  console.log(
    `| ${pattern.name} | ${files} | ${typecheck.ok ? "✅" : "❌"} | ${test.ok ? "✅" : "❌"} \`${pattern.test}\` | ${tests} | ${typecheck.seconds + test.seconds} |`,
  );
}
process.exitCode = results.every((result) => result.typecheck.ok && result.test.ok) ? 0 : 1;
