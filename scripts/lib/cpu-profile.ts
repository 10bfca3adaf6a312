/**
 * Reads a V8 `.cpuprofile` (what `node --cpu-prof` writes on exit) into the two views a
 * reader of docs/benchmarks.md needs: the functions with the most self time, and self
 * time by where the code comes from (a package under node_modules, Node itself, the app).
 */
import { readFileSync } from "node:fs";

/** Where `npm run profile` writes into docs/benchmarks.md; `npm run bench` keeps what is between. */
export const PROFILE_START = "<!-- profile:start -->";
export const PROFILE_END = "<!-- profile:end -->";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
}

export interface FrameShare {
  name: string;
  /** Share of all samples, 0–1. */
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Share of samples not idle, not (program), not the garbage collector. */
  busyShare: number;
  topFunctions: FrameShare[];
  byOrigin: FrameShare[];
}

const SYNTHETIC = new Set(["(idle)", "(program)", "(garbage collector)", "(root)"]);

/** Where a frame's code lives: `next`, `react-dom`, `postgres`, `node:internal`, `app`, … */
export function originOf(url: string, functionName: string): string {
  if (SYNTHETIC.has(functionName)) return functionName;
  if (url === "") return "(native / V8)";
  if (url.startsWith("node:")) return "node: (Node's own JavaScript)";
  const modules = url.lastIndexOf("node_modules/");
  if (modules !== -1) {
    const [scope = "", name = ""] = url.slice(modules + "node_modules/".length).split("/");
    return scope.startsWith("@") ? `${scope}/${name}` : scope;
  }
  if (url.includes("/.next/")) return "app (the build: .next/server)";
  return "app";
}

function shortUrl(url: string) {
  const modules = url.lastIndexOf("node_modules/");
  if (modules !== -1) return url.slice(modules + "node_modules/".length);
  const next = url.indexOf("/.next/");
  if (next !== -1) return url.slice(next + 1);
  return url.replace(/^file:\/\//, "").split("/").slice(-2).join("/");
}

function ranked(totals: Map<string, number>, samples: number, limit: number): FrameShare[] {
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, hits]) => ({ name, share: hits / samples }));
}

export function summarizeCpuProfile(file: string, limit = 12): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const hitsById = new Map<number, number>();
  if (profile.samples?.length) {
    for (const id of profile.samples) hitsById.set(id, (hitsById.get(id) ?? 0) + 1);
  } else {
    for (const node of profile.nodes) hitsById.set(node.id, node.hitCount ?? 0);
  }
  const samples = [...hitsById.values()].reduce((sum, hits) => sum + hits, 0) || 1;
  const byFunction = new Map<string, number>();
  const byOrigin = new Map<string, number>();
  let busy = 0;
  for (const node of profile.nodes) {
    const hits = hitsById.get(node.id) ?? 0;
    if (hits === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const origin = originOf(url, functionName);
    byOrigin.set(origin, (byOrigin.get(origin) ?? 0) + hits);
    if (SYNTHETIC.has(functionName)) continue;
    busy += hits;
    const name = `${functionName || "(anonymous)"} · ${url ? `${shortUrl(url)}:${lineNumber + 1}` : "native"}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + hits);
  }
  return {
    totalMs: (profile.endTime - profile.startTime) / 1000,
    busyShare: busy / samples,
    topFunctions: ranked(byFunction, samples, limit),
    byOrigin: ranked(byOrigin, samples, limit),
  };
}
