/**
 * The welcome-reset race, forced, for one strategy: a fresh welcome project, two
 * generations ("Red intro" as A, "Blue outro" as B), each on its own recorded
 * connection (./lane.ts), released in the order the schedule dictates (race-kit's
 * two-request schedules; ./types.ts describes them). race-kit's lock monitor records the
 * lock waits and its row-lock gate holds the project row for the gated schedule. Then
 * the project is read back and judged with the app's invariants (src/lib/invariants.ts):
 * a reply pointing at a scene that no longer exists is a lost scene.
 */
import { randomBytes } from "node:crypto";

import { LockMonitor, openRowLockGate, runTwoRequestSchedule, type RowLockGate } from "race-kit";

import { strategyLabels, type WelcomeResetStrategy } from "~/lib/lab";
import type { Database } from "~/server/db";
import { generateWithStrategy } from "~/server/lab/generate-with-strategy";
import { generateSceneProps } from "~/server/services/brain/model";
import { createWelcomeProject } from "~/server/services/projects";
import { Lane, RaceClock } from "./lane";
import { readRaceState, type RaceAfter } from "./race-state";
import type { RaceSchedule, RaceVerdict, WelcomeResetRun } from "./types";

export const RACE_PROMPTS = { A: "Red intro", B: "Blue outro" } as const;

/** The schedule that exposes each strategy (the one the Vitest race tests use). */
export const defaultSchedule: Record<WelcomeResetStrategy, RaceSchedule> = {
  naive: "sequential",
  "transaction-only": "gated",
  locked: "gated",
  "compare-and-set": "gated",
  "single-statement": "gated",
  "lock-across-model-call": "queued",
};

const scheduleTexts: Record<RaceSchedule, string> = {
  sequential:
    "Sequential: both requests start and read the project, then pause at the model call. A is released and finishes; then B is released.",
  gated:
    "Gated: both requests pause at the model call. A gate connection locks the project row; both are released and queue behind it (checked with pg_blocking_pids); then the gate commits and they race for the lock.",
  queued:
    "Queued: this variant holds the row lock through its model call, so A starts and pauses holding it, B queues behind A, and A is released.",
};

/**
 * Model latency after the pause point is released. Only the variant that holds the lock
 * through the model call gets some, so its timeline shows what that costs: the other
 * request waits for the whole model call. Elsewhere a pause point is all it takes.
 */
const modelLatencyMs: Partial<Record<WelcomeResetStrategy, number>> = { "lock-across-model-call": 200 };

const STEP_TIMEOUT_MS = 5_000;
/** How often race-kit's lock monitor polls pg_blocking_pids() for the lanes. */
export const POLL_INTERVAL_MS = 2;

export interface WelcomeResetRaceOptions {
  /** The app's pool: creates the project and reads the result. */
  db: Database;
  databaseUrl: string;
  userId: string;
  strategy: WelcomeResetStrategy;
  /** `auto` (or omitted): the schedule that exposes the strategy. */
  schedule?: RaceSchedule | "auto";
}

export function scheduleFor(strategy: WelcomeResetStrategy, requested: RaceSchedule | "auto" = "auto"): RaceSchedule {
  // Its claim holds the lock through the model call: B cannot reach its pause point
  // while A is paused, so only the queued schedule can run it.
  if (strategy === "lock-across-model-call") return "queued";
  if (requested === "auto" || requested === "queued") return defaultSchedule[strategy];
  return requested;
}

export async function runWelcomeResetRace(options: WelcomeResetRaceOptions): Promise<WelcomeResetRun> {
  const { db, databaseUrl, userId, strategy } = options;
  const schedule = scheduleFor(strategy, options.schedule);
  const project = await createWelcomeProject(db, userId, `Race Lab · ${strategyLabels[strategy].label}`);

  const clock = new RaceClock();
  // Unique per run, so races run at once (two app instances) never mistake each other's sessions.
  const runId = randomBytes(4).toString("hex");
  const gateName = `race-lab-${runId}-gate`;
  const lanes = (["A", "B"] as const).map(
    (name) => new Lane(name, RACE_PROMPTS[name], generateSceneProps(RACE_PROMPTS[name]).title, databaseUrl, runId, clock),
  ) as [Lane, Lane];
  const [laneA, laneB] = lanes;
  /** What a session is called in wait labels: "request A", "the gate". */
  const labels = new Map<string, string>([
    ...lanes.map((lane): [string, string] => [lane.applicationName, `request ${lane.name}`]),
    [gateName, "the gate"],
  ]);
  const laneOf = (applicationName: string) => lanes.find((lane) => lane.applicationName === applicationName);
  const monitor = new LockMonitor({
    url: databaseUrl,
    pollIntervalMs: POLL_INTERVAL_MS,
    now: clock.now,
    applicationName: `race-lab-${runId}-monitor`,
    onWaitStart: (name, holders, at) =>
      laneOf(name)?.startWait(
        at,
        holders.map((holder) => labels.get(holder.applicationName) ?? `another session (pid ${holder.pid})`).join(" and "),
      ),
    onWaitEnd: (name, at) => laneOf(name)?.endWait(at),
  });
  let gate: RowLockGate | undefined;
  let scheduleError: string | undefined;

  try {
    await Promise.all([laneA.connect(), laneB.connect(), monitor.connect()]);
    monitor.watch(lanes.map((lane) => lane.applicationName));
    clock.start();
    monitor.start();
    await runTwoRequestSchedule(schedule, {
      stepTimeoutMs: STEP_TIMEOUT_MS,
      // The request's promise never rejects: its outcome is recorded on the lane.
      start: (index, pause) => {
        const lane = lanes[index];
        return generateWithStrategy(
          lane.db,
          { userId, projectId: project.id, prompt: lane.prompt, strategy },
          lane.modelCall(pause, modelLatencyMs[strategy]),
        ).then(
          () => lane.finish(),
          (error: unknown) => lane.finish(error),
        );
      },
      lockGate: async () => {
        gate = await openRowLockGate({
          url: databaseUrl,
          lock: { table: "projects", column: "id", value: project.id },
          applicationName: gateName,
          now: clock.now,
        });
        return gate;
      },
      waitUntilQueued: (index) =>
        monitor.waitUntilBlocked(lanes[index].applicationName, `request ${lanes[index].name} is queued behind request ${lanes[1 - index]?.name}`),
    });
  } catch (error) {
    scheduleError = error instanceof Error ? error.message : String(error);
  } finally {
    // The schedule released every pause point and the gate and waited for the requests.
    await monitor.stop();
    await Promise.allSettled([laneA.close(), laneB.close(), monitor.close()]);
  }
  const gateTimes = gate ? { atMs: gate.lockedAt, endMs: await gate.release().catch(() => clock.now()) } : null;

  const recorded = lanes.map((lane) => lane.toJSON());
  const after = await readRaceState(db, project.id, RACE_PROMPTS);
  const verdict = judge(after, recorded, scheduleError);
  if (schedule === "queued" && verdict.lost === 0) {
    const [first, second] = recorded;
    const waited = second?.lockWaitMs ?? 0;
    verdict.notes.unshift(
      `Correct but slow: request ${second?.name} waited ${waited.toFixed(0)} ms for the row lock while request ${first?.name}'s model call ran. Every generation of a project queues behind the one before it.`,
    );
  }
  return {
    strategy,
    schedule,
    scheduleText: scheduleTexts[schedule],
    lanes: recorded,
    gate: gateTimes,
    verdict,
    state: after.state,
    durationMs: Math.max(...recorded.map((lane) => lane.finishedMs)),
    pollIntervalMs: POLL_INTERVAL_MS,
  };
}

/**
 * The verdict in plain words. Whether a scene was lost (and every other broken invariant)
 * is the invariants' decision; this adds who lost it, to whom, and what the lanes did.
 */
function judge(
  { state, report, lostLanes, otherViolations }: RaceAfter,
  lanes: WelcomeResetRun["lanes"],
  scheduleError: string | undefined,
): RaceVerdict {
  const notes: string[] = [];
  if (scheduleError) notes.push(`The schedule could not be forced as planned: ${scheduleError}`);
  for (const lane of lanes) {
    if (lane.error) notes.push(`Request ${lane.name} failed: ${lane.error}`);
  }
  for (const violation of otherViolations) notes.push(`Invariant broken: ${violation}`);

  if (lostLanes.length > 0) {
    const sentences = lostLanes.map((laneName) => {
      const victim = lanes.find((lane) => lane.name === laneName);
      const name = victim?.sceneName ?? "a generated scene";
      const inserted = victim?.steps.find((step) => step.kind === "insert" && step.label.startsWith("insert scene"));
      // The other request's delete of scenes, after the victim's insert, is what removed it.
      const culprit = lanes
        .filter((lane) => lane !== victim)
        .flatMap((lane) => lane.steps.map((step) => ({ lane, step })))
        .find(({ step }) => step.kind === "delete" && step.label.includes("scene") && step.atMs > (inserted?.atMs ?? -1));
      if (culprit) culprit.step.culprit = true;
      const by = culprit ? ` was deleted by request ${culprit.lane.name}` : " was deleted";
      return `Scene lost: “${name}” (request ${victim?.name ?? "?"})${by}.`;
    });
    return { lost: lostLanes.length, outcome: "lost", text: sentences.join(" "), notes };
  }

  const generated = state.scenes.filter((scene) => scene.kind === "generated").length;
  const welcome = state.scenes.filter((scene) => scene.kind === "welcome").length;
  const deleters = lanes.filter((lane) => lane.steps.some((step) => step.kind === "delete"));
  const failed = lanes.some((lane) => lane.error) || scheduleError !== undefined;
  if (!report.ok) {
    return {
      lost: 0,
      outcome: "warning",
      text: `No scene lost, but ${otherViolations.length} invariant(s) broken: ${otherViolations.join(" ")}`,
      notes,
    };
  }
  if (generated === 2 && !failed) {
    if (deleters.length > 1) {
      return {
        lost: 0,
        outcome: "warning",
        text: "No data lost this time: both scenes kept, but both requests deleted scenes, and only the order saved them.",
        notes,
      };
    }
    const once = deleters.length === 1 ? ` once (by request ${deleters[0]?.name})` : "";
    return { lost: 0, outcome: "safe", text: `No data lost: both scenes kept, the welcome scene removed${once}.`, notes };
  }
  return {
    lost: 0,
    outcome: "warning",
    text: `No scene lost, but the run is incomplete: ${generated} generated scene(s), ${welcome} welcome scene(s), isWelcome ${String(state.isWelcome)}.`,
    notes,
  };
}
