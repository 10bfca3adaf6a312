import type { RouterOutputs } from "~/trpc/react";

export type RaceResult = RouterOutputs["lab"]["race"];
export type RaceRun = RaceResult["runs"][number];
export type RaceLane = RaceRun["lanes"][number];
export type RaceStep = RaceLane["steps"][number];
export type StepKind = RaceStep["kind"];
export type ToolRegistrationResult = RouterOutputs["lab"]["toolRegistration"];

/**
 * How each step kind is drawn: a letter and a shape as well as a colour, so nothing
 * depends on colour alone. Every colour carries white text at WCAG AA contrast.
 */
export const kindStyles: Record<
  Exclude<StepKind, "model" | "wait">,
  { glyph: string; name: string; shape: "circle" | "square" | "diamond" | "pill"; className: string }
> = {
  read: { glyph: "R", name: "read (SELECT)", shape: "circle", className: "bg-sky-700 text-white" },
  lock: { glyph: "L", name: "lock (SELECT … FOR UPDATE)", shape: "diamond", className: "bg-violet-700 text-white" },
  acquired: { glyph: "✓", name: "lock acquired", shape: "circle", className: "border-2 border-violet-700 bg-white text-violet-800" },
  update: { glyph: "U", name: "update", shape: "square", className: "bg-amber-700 text-white" },
  delete: { glyph: "D", name: "delete", shape: "square", className: "bg-red-700 text-white" },
  insert: { glyph: "I", name: "insert", shape: "square", className: "bg-emerald-700 text-white" },
  begin: { glyph: "B", name: "begin", shape: "pill", className: "bg-slate-600 text-white" },
  commit: { glyph: "C", name: "commit", shape: "pill", className: "bg-slate-900 text-white" },
  rollback: { glyph: "✕", name: "rollback", shape: "pill", className: "bg-rose-800 text-white" },
  config: { glyph: "S", name: "setting (lock_timeout)", shape: "circle", className: "bg-slate-500 text-white" },
  other: { glyph: "?", name: "other statement", shape: "circle", className: "bg-slate-500 text-white" },
};

export const barStyles = {
  model: {
    name: "model call (paused)",
    className: "border border-dashed border-slate-500 bg-slate-100 text-slate-700",
  },
  wait: {
    name: "waiting for a lock",
    className: "border border-orange-700 bg-orange-200 text-orange-950",
  },
} as const;

export const isBar = (kind: StepKind): kind is "model" | "wait" => kind === "model" || kind === "wait";

export const formatMs = (ms: number) => `${ms < 10 ? ms.toFixed(1) : ms.toFixed(ms < 100 ? 1 : 0)} ms`;

export function stepSummary(lane: string, step: RaceStep) {
  const span = step.endMs !== undefined && step.endMs > step.atMs ? ` to ${formatMs(step.endMs)}` : "";
  return `Request ${lane}, ${formatMs(step.atMs)}${span}: ${step.label}`;
}

/** How a run's outcome looks: the run cards and the replayed interleavings share it. */
export const outcomeStyles: Record<"lost" | "warning" | "safe", { icon: string; className: string }> = {
  lost: { icon: "✗", className: "border-red-300 bg-red-50 text-red-950" },
  warning: { icon: "!", className: "border-amber-300 bg-amber-50 text-amber-950" },
  safe: { icon: "✓", className: "border-emerald-300 bg-emerald-50 text-emerald-950" },
};
