import type { RouterOutputs } from "~/trpc/react";
import type { RaceRun } from "./kinds";

export type ExplorationSummary = RouterOutputs["lab"]["explore"];
export type InterleavingCell = ExplorationSummary["interleavings"][number];
export type ExplorerVerdict = InterleavingCell["verdict"];
export type InterleavingRun = RouterOutputs["lab"]["replayInterleaving"];

/**
 * How each explorer verdict is drawn: a glyph and a word as well as a colour, so nothing
 * depends on colour alone. Filled colours carry white text at WCAG AA contrast; the
 * blocked cell is the timeline's lock-wait colour, striped.
 */
export const verdictStyles: Record<
  ExplorerVerdict,
  { glyph: string; word: string; meaning: string; className: string; striped?: boolean }
> = {
  broken: {
    glyph: "✗",
    word: "lost",
    meaning: "an invariant broke: a reply points at a scene that was deleted",
    className: "bg-red-700 text-white",
  },
  deadlock: {
    glyph: "D",
    word: "deadlock",
    meaning: "PostgreSQL broke a deadlock",
    className: "bg-violet-700 text-white",
  },
  blocked: {
    glyph: "W",
    word: "blocked",
    meaning: "nothing lost; a statement waited for the other request's lock",
    className: "border border-orange-700 bg-orange-200 text-orange-950",
    striped: true,
  },
  ok: { glyph: "✓", word: "ok", meaning: "nothing lost, no waiting", className: "bg-emerald-700 text-white" },
  error: { glyph: "!", word: "error", meaning: "the run could not finish", className: "bg-slate-600 text-white" },
};

export const verdictOrder: ExplorerVerdict[] = ["broken", "deadlock", "blocked", "ok", "error"];

export const stripes = {
  backgroundImage: "repeating-linear-gradient(135deg, transparent 0 4px, rgb(194 65 12 / 0.35) 4px 6px)",
};

/**
 * "66 feasible of 1584 orderings, all explored: 0 lost, 50 blocked, 16 ok". Deadlocks and
 * errors are named only when there are some.
 */
export function totalsText(summary: ExplorationSummary): string {
  const { counts } = summary;
  const verdicts = verdictOrder
    .filter((verdict) => counts[verdict] > 0 || verdict === "broken" || verdict === "blocked" || verdict === "ok")
    .map((verdict) => `${counts[verdict]} ${verdictStyles[verdict].word}`)
    .join(", ");
  const coverage = summary.complete
    ? `${summary.feasible ?? summary.explored} feasible of ${summary.total} orderings, all explored`
    : `${summary.explored} explored of at most ${summary.total} orderings`;
  return `${coverage}: ${verdicts}`;
}

/**
 * The lab's Timeline draws a race run: lanes, gate and duration. An explored interleaving
 * has no race schedule (sequential / gated / queued), so those two fields, which the
 * Timeline does not read, are filled with neutral values.
 */
export function asTimelineRun(run: InterleavingRun): RaceRun {
  return { ...run, schedule: "sequential", scheduleText: run.schedule };
}
