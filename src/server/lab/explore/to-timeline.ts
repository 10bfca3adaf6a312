/**
 * The Race Lab's "All interleavings" view, server side: race-kit's exploration of the
 * welcome reset (./welcome-reset.ts) made small enough to send to the page, and one
 * replayed interleaving turned into the shape the lab's two-lane timeline draws
 * (src/app/lab/_components/Timeline.tsx, which takes a `WelcomeResetRun`).
 *
 * The verdicts are the explorer's own (the same invariants the tests check); the project
 * the replay left behind is read back with the invariants' loader for the "database
 * after" table and for who lost which scene.
 */
import { replay, type Damage, type ExplorationReport, type Interleaving, type StepRecord, type Verdict } from "race-kit";

import type { WelcomeResetStrategy } from "~/lib/lab";
import type { Database } from "~/server/db";
import { classifyStatement, formatParams } from "~/server/lab/race-runner/classify";
import { readRaceState, type RaceAfter } from "~/server/lab/race-runner/race-state";
import type { RaceLane, RaceStep, RaceVerdict, WelcomeResetRun } from "~/server/lab/race-runner/types";
import { generateSceneProps } from "~/server/services/brain/model";
import { EXPLORED_PROMPTS, exploreWelcomeReset, type WelcomeResetContext } from "./welcome-reset";

type LaneName = keyof typeof EXPLORED_PROMPTS;
const LANES = ["A", "B"] as const satisfies readonly LaneName[];

/** How many violations each cell carries (the full list is in the replay). */
const VIOLATIONS_PER_CELL = 2;

export interface InterleavingCell {
  /** Replayable: "A1 A2 B1 …". */
  schedule: string;
  verdict: Verdict;
  /** The first few, in plain words. */
  violations: string[];
  /** How many there were in all. */
  violationCount: number;
  /** Where the data first broke (located for the first breaking interleavings only). */
  damage?: Damage;
}

export interface ExplorationSummary {
  strategy: WelcomeResetStrategy;
  name: string;
  /** Orderings that keep each request's own order (an upper bound of `feasible`). */
  total: number;
  /** Orderings that can actually run; known when `complete`. */
  feasible: number | null;
  explored: number;
  complete: boolean;
  counts: Record<Verdict, number>;
  stepsPerLane: Record<string, string>;
  durationMs: number;
  notes: string[];
  /** Every explored interleaving, in the order the explorer ran them. No steps: those come with a replay. */
  interleavings: InterleavingCell[];
}

/** The exploration without the steps: a few kilobytes for ~200 interleavings. */
export function summarizeExploration(strategy: WelcomeResetStrategy, report: ExplorationReport): ExplorationSummary {
  return {
    strategy,
    name: report.name,
    total: report.total,
    feasible: report.feasible ?? null,
    explored: report.explored,
    complete: report.complete,
    counts: report.counts,
    stepsPerLane: report.stepsPerLane,
    durationMs: report.durationMs,
    notes: report.notes,
    interleavings: report.interleavings.map((interleaving) => ({
      schedule: interleaving.schedule,
      verdict: interleaving.verdict,
      violations: interleaving.violations.slice(0, VIOLATIONS_PER_CELL),
      violationCount: interleaving.violations.length,
      ...(interleaving.damage ? { damage: interleaving.damage } : {}),
    })),
  };
}

/**
 * One replayed interleaving, drawn like a Race Lab run: the lanes' statements (released
 * at `atMs`, answered at `endMs`), lock waits as "wait" bars, a verdict in plain words and
 * the project afterwards. `schedule` is the interleaving itself, not a race schedule.
 */
export interface InterleavingRun extends Omit<WelcomeResetRun, "schedule" | "scheduleText"> {
  /** The interleaving that ran, e.g. "A1 A2 B1 …" (equals the requested one, or extends a prefix of it). */
  schedule: string;
  /** The explorer's verdict for this run. */
  explorerVerdict: Verdict;
  /** The explorer's violations for this run, all of them. */
  violations: string[];
  /**
   * The explorer's damage: the step after which the committed data first broke an
   * invariant (for naive, often the `isWelcome` update that leaves the welcome scene
   * behind for a moment, before the delete that loses a scene, which is marked `culprit`).
   */
  damage?: Damage;
}

/**
 * Replays one interleaving of `strategy` (race-kit's `replay`, on a fresh project) and
 * converts it for the timeline, with the project the replay left behind.
 */
export async function replayWelcomeReset(
  strategy: WelcomeResetStrategy,
  deps: { db: Database; databaseUrl: string },
  schedule: string,
): Promise<InterleavingRun> {
  const options = exploreWelcomeReset(strategy, deps);
  let first: WelcomeResetContext | undefined;
  const setup = options.setup;
  const interleaving = await replay(
    {
      ...options,
      setup: async () => {
        const context = await setup();
        first ??= context;
        return context;
      },
    },
    schedule,
  );
  if (!first) throw new Error("the replay built no project");
  return toTimeline(strategy, interleaving, await readRaceState(deps.db, first.projectId, EXPLORED_PROMPTS));
}

const round = (ms: number) => Math.round(ms * 10) / 10;
const token = (step: StepRecord) => `${step.lane}${step.index}`;
const requestName = (lane: string) => (LANES.includes(lane as LaneName) ? `request ${lane}` : lane);

/** One lane's statements as timeline steps, a lock wait as a "wait" bar and then "lock acquired". */
function laneSteps(steps: StepRecord[], sceneName: string): RaceStep[] {
  const drawn: RaceStep[] = [];
  for (const step of steps) {
    const { kind, label } = classifyStatement(step.sql, step.params, sceneName);
    const failed = step.error
      ? ` (failed: ${step.error.message}${step.error.sqlState ? `, SQLSTATE ${step.error.sqlState}` : ""})`
      : "";
    const params = formatParams(step.params);
    drawn.push({
      kind,
      label: `${token(step)} · ${label}${failed}`,
      sql: step.sql.trim(),
      ...(params === undefined ? {} : { params }),
      atMs: step.releasedAtMs,
      ...(step.completedAtMs === undefined ? {} : { endMs: step.completedAtMs }),
    });
    if (step.waited) {
      // The server showed the statement waiting (pg_blocking_pids) at `sinceMs`, which may
      // be some turns after its release; a statement takes ~1 ms on its own, so it waited
      // from its release until its answer.
      const { sinceMs, blockers } = step.waited;
      const endMs = Math.max(sinceMs, step.completedAtMs ?? sinceMs);
      const holders = blockers.map(requestName).join(" and ") || "another session";
      drawn.push({
        kind: "wait",
        label: `${token(step)} waits for a lock held by ${holders} (seen waiting at ${round(sinceMs)} ms)`,
        atMs: step.releasedAtMs,
        endMs,
      });
      if (!step.error) drawn.push({ kind: "acquired", label: `${token(step)} · lock acquired`, atMs: endMs });
    }
  }
  return drawn.sort((a, b) => a.atMs - b.atMs);
}

/**
 * The statement that removed a lost scene: the other request's delete of scenes, sent
 * after the victim's insert (the explorer releases one statement at a time, so "after"
 * is the order of release). Marked `culprit`, which the timeline shows as "the loss".
 */
function markCulprit(lanes: RaceLane[], victimName: LaneName | null): RaceLane | undefined {
  const victim = lanes.find((lane) => lane.name === victimName);
  const inserted = victim?.steps.find((step) => step.kind === "insert" && step.label.includes("insert scene"));
  const culprit = lanes
    .filter((lane) => lane !== victim)
    .flatMap((lane) => lane.steps.map((step) => ({ lane, step })))
    .filter(({ step }) => step.kind === "delete" && step.label.includes("scene") && step.atMs > (inserted?.atMs ?? -1))
    .sort((a, b) => a.step.atMs - b.step.atMs)[0];
  if (culprit) culprit.step.culprit = true;
  return culprit?.lane;
}

/** Converts a replayed (or explored) interleaving to the timeline's shape. */
export function toTimeline(strategy: WelcomeResetStrategy, interleaving: Interleaving, after: RaceAfter): InterleavingRun {
  const lanes: RaceLane[] = LANES.map((name) => {
    const own = interleaving.steps.filter((step) => step.lane === name);
    const sceneName = generateSceneProps(EXPLORED_PROMPTS[name]).title;
    const steps = laneSteps(own, sceneName);
    const lockWaitMs = steps
      .filter((step) => step.kind === "wait")
      .reduce((total, step) => total + ((step.endMs ?? step.atMs) - step.atMs), 0);
    const outcome = interleaving.outcomes[name];
    return {
      name,
      prompt: EXPLORED_PROMPTS[name],
      sceneName,
      // The explorer's lanes are proxied connections whose pid is not recorded per step.
      pid: 0,
      steps,
      lockWaitMs: round(lockWaitMs),
      finishedMs: Math.max(0, ...own.map((step) => step.completedAtMs ?? step.releasedAtMs)),
      ...(outcome && !outcome.ok ? { error: outcome.message ?? "failed" } : {}),
    };
  });
  return {
    strategy,
    schedule: interleaving.schedule,
    explorerVerdict: interleaving.verdict,
    violations: interleaving.violations,
    ...(interleaving.damage ? { damage: interleaving.damage } : {}),
    lanes,
    gate: null,
    verdict: judge(interleaving, lanes, after),
    state: after.state,
    durationMs: round(Math.max(interleaving.durationMs, ...lanes.map((lane) => lane.finishedMs))),
    // The explorer asks pg_blocking_pids() after 1 ms without progress.
    pollIntervalMs: 1,
  };
}

/** The explorer's verdict in the words of the lab's run cards. */
function judge(interleaving: Interleaving, lanes: RaceLane[], { state, lostLanes, otherViolations }: RaceAfter): RaceVerdict {
  const notes = [...interleaving.notes];
  for (const lane of lanes) if (lane.error) notes.push(`Request ${lane.name} failed: ${lane.error}`);
  const { damage } = interleaving;
  if (damage) {
    const writes = damage.transaction?.length ? `, the commit of ${damage.transaction.map((write) => write.split(" ")[0]).join(", ")}` : "";
    notes.push(`The explorer saw an invariant first break after step ${damage.step}${writes}: ${damage.violations.join(" ")}`);
  }
  const waits = lanes.flatMap((lane) => lane.steps.filter((step) => step.kind === "wait"));
  const deleters = lanes.filter((lane) => lane.steps.some((step) => step.kind === "delete"));

  if (lostLanes.length > 0) {
    const sentences = lostLanes.map((laneName) => {
      const victim = lanes.find((lane) => lane.name === laneName);
      const deleter = markCulprit(lanes, laneName);
      const by = deleter ? ` was deleted by request ${deleter.name}` : " was deleted";
      return `Scene lost: “${victim?.sceneName ?? "a generated scene"}” (request ${laneName ?? "?"})${by}.`;
    });
    for (const violation of otherViolations) notes.push(`Invariant broken: ${violation}`);
    return { lost: lostLanes.length, outcome: "lost", text: sentences.join(" "), notes };
  }

  switch (interleaving.verdict) {
    case "broken":
      return {
        lost: 0,
        outcome: "warning",
        text: `No scene lost, but ${interleaving.violations.length} invariant(s) broken: ${interleaving.violations.join(" ")}`,
        notes,
      };
    case "error":
      return { lost: 0, outcome: "warning", text: "The run could not finish: no request could move.", notes };
    case "deadlock": {
      const victims = lanes.filter((lane) => lane.steps.some((step) => step.label.includes("40P01")));
      const who = victims.map((lane) => `request ${lane.name}`).join(" and ") || "a request";
      return {
        lost: 0,
        outcome: "warning",
        text: `No data lost, but PostgreSQL broke a deadlock: ${who}'s statement was cancelled.`,
        notes,
      };
    }
    default: {
      const kept = state.scenes.filter((scene) => scene.kind === "generated").length;
      const waited = waits.length > 0 ? " One request waited for the other's lock." : "";
      if (deleters.length > 1) {
        return {
          lost: 0,
          outcome: "warning",
          text: `No data lost this time: ${kept} scene(s) kept, but both requests deleted scenes, and only the order saved them.${waited}`,
          notes,
        };
      }
      const once = deleters.length === 1 ? ` once (by request ${deleters[0]?.name})` : "";
      return {
        lost: 0,
        outcome: "safe",
        text: `No data lost: ${kept === 2 ? "both scenes" : `${kept} scene(s)`} kept, the welcome scene removed${once}.${waited}`,
        notes,
      };
    }
  }
}
