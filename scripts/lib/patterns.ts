/**
 * Each pattern a reader may lift out: its own files, the test that proves it, and its doc
 * page, whose "Copy this pattern" section lists what the import closure of those files is
 * (scripts/lib/import-closure.ts). `npm run copy-patterns` copies exactly that closure into a
 * scratch project and runs the test there; tests/unit/copy-sections.test.ts checks each
 * page's section against the closure, so the list cannot go stale.
 */
import { importClosure, type Closure } from "./import-closure";

export interface Pattern {
  name: string;
  doc: string;
  /** The pattern itself: the files to read and adapt. */
  files: string[];
  test: string;
}

const panels = "src/app/projects/[id]/generate/workspace/panels";

export const PATTERNS: Pattern[] = [
  {
    name: "welcome reset: decide from the locked row",
    doc: "docs/patterns/welcome-reset.md",
    files: ["src/server/services/generation/claim.ts", "src/server/services/generation/apply.ts", "src/server/db/tx.ts"],
    test: "tests/integration/welcome-reset-race.test.ts",
  },
  {
    name: "tool registration: one registry per process",
    doc: "docs/patterns/tool-registry.md",
    files: ["src/server/process-singleton.ts", "src/server/services/brain/tools/registry.ts", "src/server/services/brain/init.ts"],
    test: "tests/unit/tool-registry.test.ts",
  },
  {
    name: "the chat renders only server data",
    doc: "docs/patterns/chat-single-source.md",
    files: [`${panels}/ChatPanel.tsx`, `${panels}/Composer.tsx`, `${panels}/PromptForm.tsx`, `${panels}/ChatMessages.tsx`, `${panels}/chat-queries.ts`],
    test: "tests/unit/chat-cache-scheduler.test.ts",
  },
  {
    name: "optimistic locking of a manual edit",
    doc: "docs/patterns/optimistic-locking.md",
    files: ["src/server/services/scenes.ts", "src/server/api/routers/scene.ts", `${panels}/SceneEditor.tsx`],
    test: "tests/integration/scene-update.test.ts",
  },
];

/** The test harness every copied test runs in (Vitest's config names these files as strings). */
export const HARNESS = ["vitest.config.ts", "tests/support/global-setup.ts", "tests/support/worker-setup.ts", "tests/support/empty-module.ts"];

export interface PatternClosure {
  /** Everything the pattern's files and its test need, harness included. */
  all: Closure;
  /** What the pattern's own files stand on (outside them, the test and the harness). */
  dependsOn: string[];
  /** What the test needs beyond the pattern's code and the harness. */
  testSupport: string[];
}

export function closureOf(pattern: Pattern, root = process.cwd()): PatternClosure {
  const code = importClosure(pattern.files, root);
  const all = importClosure([...pattern.files, pattern.test, ...HARNESS], root);
  const own = new Set([...pattern.files, pattern.test, ...HARNESS]);
  const codeFiles = new Set(code.files);
  return {
    all,
    dependsOn: code.files.filter((file) => !own.has(file)),
    testSupport: all.files.filter((file) => !own.has(file) && !codeFiles.has(file)),
  };
}

export const COPY_BEGIN = "<!-- copy-this-pattern -->";
export const COPY_END = "<!-- /copy-this-pattern -->";

/** The page's "Copy this pattern" section, from the closure as it is now. */
export function copySection(pattern: Pattern, root = process.cwd()): string {
  const { all, dependsOn, testSupport } = closureOf(pattern, root);
  const list = (files: string[]) => (files.length === 0 ? "- (nothing)" : files.map((file) => `- \`${file}\``).join("\n"));
  // Long lists, one line per folder.
  const byFolder = (files: string[]) => {
    if (files.length === 0) return "- (nothing)";
    const folders = new Map<string, string[]>();
    for (const file of files) {
      const folder = file.includes("/") ? `${file.slice(0, file.lastIndexOf("/"))}/` : "./";
      folders.set(folder, [...(folders.get(folder) ?? []), file.slice(file.lastIndexOf("/") + 1)]);
    }
    return [...folders].map(([folder, names]) => `- \`${folder}\`: ${names.map((name) => `\`${name}\``).join(", ")}`).join("\n");
  };
  return [
    COPY_BEGIN,
    "Generated from the imports by `npm run copy-patterns` (scripts/copy-patterns.ts), which copies exactly these files into a scratch project and runs the test there.",
    "",
    "**Take** (the pattern):",
    "",
    list(pattern.files),
    "",
    `**It stands on** (${dependsOn.length} files of this repo it imports, directly or not; in your project, your own versions of them):`,
    "",
    byFolder(dependsOn),
    "",
    `**The test to take with it:** \`${pattern.test}\`, with the Vitest harness (${HARNESS.map((file) => `\`${file}\``).join(", ")}) and:`,
    "",
    byFolder(testSupport),
    "",
    `**npm packages:** ${all.packages.map((name) => `\`${name}\``).join(", ")}.`,
    COPY_END,
  ].join("\n");
}
