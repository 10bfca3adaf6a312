/**
 * Which files of this repo a set of files needs: follows every static and dynamic import
 * (`~/` is src/, `race-kit` is race-kit/src/index.ts, relative paths as written) and collects
 * the repo files reached and the npm packages they use. What "copy this pattern" lists and
 * what the copy check copies (scripts/copy-patterns.ts), so the two cannot disagree.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

const SPECIFIERS = [
  /(?:^|[\s;])(?:import|export)\s[^;()=`]*?\bfrom\s*["']([^"']+)["']/g,
  /(?:^|[\s;])import\s*["']([^"']+)["']/g,
  /\bimport\(\s*["']([^"']+)["']\s*\)/g,
];
const EXTENSIONS = ["", ".ts", ".tsx", ".js", ".mjs", "/index.ts", "/index.tsx", "/index.js"];

export interface Closure {
  /** Repo-relative paths, sorted. */
  files: string[];
  /** npm package names, sorted. */
  packages: string[];
}

function resolveLocal(root: string, from: string, specifier: string): string | undefined {
  const base = specifier.startsWith("~/")
    ? path.join(root, "src", specifier.slice(2))
    : specifier === "race-kit"
      ? path.join(root, "race-kit/src/index.ts")
      : specifier.startsWith(".")
        ? path.resolve(path.dirname(path.join(root, from)), specifier)
        : undefined;
  if (!base) return undefined;
  for (const extension of EXTENSIONS) {
    const candidate = `${base}${extension}`;
    if (existsSync(candidate) && statSync(candidate).isFile()) return path.relative(root, candidate).split(path.sep).join("/");
  }
  throw new Error(`${from}: cannot resolve "${specifier}"`);
}

const packageName = (specifier: string) =>
  specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : (specifier.split("/")[0] ?? specifier);

export function importClosure(entries: readonly string[], root = process.cwd()): Closure {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (files.has(file)) continue;
    files.add(file);
    const source = readFileSync(path.join(root, file), "utf8");
    for (const pattern of SPECIFIERS) {
      for (const match of source.matchAll(pattern)) {
        const specifier = match[1] ?? "";
        if (specifier.startsWith("node:")) continue;
        const local = resolveLocal(root, file, specifier);
        if (local) queue.push(local);
        else packages.add(packageName(specifier));
      }
    }
  }
  return { files: [...files].sort(), packages: [...packages].sort() };
}
