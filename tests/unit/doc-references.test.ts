/**
 * Every document the repository cites is in the repository (issue 15): the relative links of
 * every Markdown file, and every Markdown path named in code, comments and docs, resolve
 * to a tracked file (relative to the citing file, or to the repo root); and nothing points
 * outside the repo (a `../` past its root, or a design note that was never committed).
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const tracked = execFileSync("git", ["ls-files"], { cwd: root, encoding: "utf8" }).split("\n").filter(Boolean);
const TEXT = /\.(md|ts|tsx|js|mjs|cjs|json|sh|yml|yaml)$|^\.ci\/run$/;
const textFiles = tracked.filter((file) => TEXT.test(file) && !file.endsWith("package-lock.json"));

/** Where `target`, cited from `file`, lands: relative to the file, else (a repo path) to the root. */
function resolve(file: string, target: string) {
  const clean = decodeURI(target.split("#")[0] ?? "").replace(/^<|>$/g, "");
  if (clean === "") return { clean, inside: true, exists: true };
  const candidates = [path.resolve(root, path.dirname(file), clean), path.resolve(root, clean)];
  const inside = (candidate: string) => candidate === root || candidate.startsWith(`${root}${path.sep}`);
  const found = candidates.find((candidate) => inside(candidate) && existsSync(candidate));
  return { clean, inside: candidates.some(inside), exists: found !== undefined };
}

const trackedSet = new Set(tracked);

/** A Markdown link must resolve from the file it is in, as a reader's click does. */
function linkProblem(file: string, target: string) {
  const { clean, inside, exists } = resolve(file, target);
  if (!inside) return `${file}: links to ${clean}, outside the repository`;
  return exists ? undefined : `${file}: links to ${clean}, which is not in the repository`;
}

/** A path named in prose or code must be some tracked file (repo-relative, file-relative, or a package's own path). */
function mentionProblem(file: string, target: string) {
  const { clean, inside, exists } = resolve(file, target);
  if (!inside) return `${file}: names ${clean}, outside the repository`;
  if (exists) return undefined;
  const tail = clean.replace(/^(\.{1,2}\/)+/, "");
  const known = tail.includes("/") ? tracked.some((candidate) => candidate.endsWith(`/${tail}`)) : tracked.some((candidate) => path.basename(candidate) === tail);
  return known || trackedSet.has(tail) ? undefined : `${file}: names ${clean}, which is not in the repository`;
}

function problemsIn(file: string) {
  const text = readFileSync(path.join(root, file), "utf8");
  const problems: (string | undefined)[] = [];
  if (file.endsWith(".md")) {
    // [text](target) and [text]: target; external links and anchors are not files.
    for (const match of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)|^\[[^\]]+\]:\s*(\S+)/gm)) {
      const target = match[1] ?? match[2] ?? "";
      if (!/^([a-z]+:|#|\/\/)/i.test(target)) problems.push(linkProblem(file, target));
    }
  }
  // Markdown files named anywhere: a path under docs/, a README one folder up, a bare file name.
  for (const match of text.matchAll(/(?<![\w/.$}%-])((?:\.{1,2}\/)*[\w.-]+(?:\/[\w.[\]-]+)*\.md)\b/g)) {
    problems.push(mentionProblem(file, match[1] ?? ""));
  }
  if (/\bDESIGN\.md\b|\.\.\/shared\//.test(text)) problems.push(`${file}: names a design note outside the repository`);
  return problems.filter((problem): problem is string => problem !== undefined);
}

describe("document references", () => {
  it("every cited document is in the repository", () => {
    expect(textFiles.length).toBeGreaterThan(100);
    expect(textFiles.flatMap(problemsIn)).toEqual([]);
  });
});
