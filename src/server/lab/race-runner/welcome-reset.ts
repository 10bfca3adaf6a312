/**
 * The welcome-reset race, forced, for one strategy: a fresh welcome project, two
 * generations ("Red intro" as A, "Blue outro" as B), each on its own recorded
 * connection (./lane.ts), released in the order the schedule dictates (./types.ts
 * describes the schedules). Then the project is read back and judged with the
 * invariants of tests/support/invariants.ts: a reply pointing at a scene that no longer
 * exists is a lost scene.
 */
import { asc, eq } from "drizzle-orm";

import { strategyLabels, type WelcomeResetStrategy } from "~/lib/lab";
import type { Database } from "~/server/db";
import { messages, projects, scenes } from "~/server/db/schema";
import { generateWithStrategy } from "~/server/lab/generate-with-strategy";
import { generateSceneProps } from "~/server/services/generation/scene-generator";
import { createWelcomeProject } from "~/server/services/projects";
import { Lane, RaceClock, type LanePause } from "./lane";
import { LockMonitor, openGate, POLL_INTERVAL_MS, type Gate } from "./monitor";
import type { RaceSchedule, RaceState, RaceVerdict, WelcomeResetRun } from "./types";

export const RACE_PROMPTS = { A: "Red intro", B: "Blue outro" } as const;

/** The schedule that exposes each strategy (the one the Vitest race tests use). */
export const defaultSchedule: Record<WelcomeResetStrategy, RaceSchedule> = {
  naive: "sequential",
  "transaction-only": "gated",
  locked: "gated",
  "compare-and-set": "gated",
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
const SETTLE_TIMEOUT_MS = 5_000;

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
  const lanes = (["A", "B"] as const).map(
    (name) => new Lane(name, RACE_PROMPTS[name], generateSceneProps(RACE_PROMPTS[name]).title, databaseUrl, clock),
  ) as [Lane, Lane];
  const [laneA, laneB] = lanes;
  const monitor = new LockMonitor(databaseUrl, clock);
  const pauses = lanes.map((lane) => lane.pausePoint(modelLatencyMs[strategy])) as [LanePause, LanePause];
  const requests: Promise<void>[] = [];
  let gate: Gate | undefined;
  let gateTimes: WelcomeResetRun["gate"] = null;
  let scheduleError: string | undefined;

  /** Starts a request; its promise (in `requests`) never rejects: the outcome is recorded on the lane. */
  const start = (index: 0 | 1): void => {
    const lane = lanes[index];
    const request = generateWithStrategy(
      lane.db,
      { userId, projectId: project.id, prompt: lane.prompt, strategy },
      pauses[index].modelCall,
    ).then(
      () => lane.finish(),
      (error: unknown) => lane.finish(error),
    );
    requests[index] = request;
  };
  /** Resolves when the request reached its model call; rejects if it ended first or took too long. */
  const reached = (index: 0 | 1) =>
    withTimeout(
      Promise.race([
        pauses[index].reached,
        requests[index]?.then(() => {
          throw new Error(`request ${lanes[index].name} ended before its model call: ${lanes[index].error ?? "no error"}`);
        }),
      ]),
      `request ${lanes[index].name} to reach its model call`,
    );

  try {
    await Promise.all([laneA.connect(), laneB.connect(), monitor.connect()]);
    monitor.watch(lanes);
    clock.start();
    monitor.start();

    if (schedule === "sequential") {
      start(0);
      start(1);
      await Promise.all([reached(0), reached(1)]);
      pauses[0].release();
      await withTimeout(requests[0], "request A to finish");
      pauses[1].release();
      await withTimeout(requests[1], "request B to finish");
    } else if (schedule === "gated") {
      start(0);
      start(1);
      await Promise.all([reached(0), reached(1)]);
      gate = await openGate(databaseUrl, project.id, clock);
      monitor.name(gate.pid, "the gate");
      pauses[0].release();
      pauses[1].release();
      await monitor.waitUntil(
        () => monitor.isBlocked(laneA.pid) && monitor.isBlocked(laneB.pid),
        "both requests are queued behind the gate",
      );
      gateTimes = { atMs: gate.atMs, endMs: await gate.release() };
      await withTimeout(Promise.all(requests), "both requests to finish");
    } else {
      start(0);
      await reached(0);
      start(1);
      await monitor.waitUntil(() => monitor.isBlocked(laneB.pid), "request B is queued behind request A");
      pauses[0].release();
      await reached(1);
      pauses[1].release();
      await withTimeout(Promise.all(requests), "both requests to finish");
    }
  } catch (error) {
    scheduleError = error instanceof Error ? error.message : String(error);
  } finally {
    // Whatever happened, nothing may stay paused, locked or connected.
    for (const pause of pauses) pause.release();
    if (gate) {
      const endMs = await gate.release().catch(() => clock.now());
      gateTimes ??= { atMs: gate.atMs, endMs };
    }
    await withTimeout(Promise.all(requests), "the requests to settle", SETTLE_TIMEOUT_MS).catch((error: unknown) => {
      scheduleError ??= String(error);
    });
    await monitor.stop();
    await Promise.allSettled([laneA.close(), laneB.close(), monitor.close()]);
  }

  const recorded = lanes.map((lane) => lane.toJSON());
  const state = await readState(db, project.id);
  const verdict = judge(state, recorded, scheduleError);
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
    state,
    durationMs: Math.max(...recorded.map((lane) => lane.finishedMs)),
    pollIntervalMs: POLL_INTERVAL_MS,
  };
}

async function withTimeout<T>(promise: Promise<T> | undefined, what: string, ms = STEP_TIMEOUT_MS): Promise<T | undefined> {
  if (!promise) return undefined;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function readState(db: Database, projectId: string): Promise<RaceState> {
  const [project] = await db.select().from(projects).where(eq(projects.id, projectId));
  const storyboard = await db.select().from(scenes).where(eq(scenes.projectId, projectId)).orderBy(asc(scenes.order));
  const thread = await db.select().from(messages).where(eq(messages.projectId, projectId)).orderBy(asc(messages.sequence));
  const sceneIds = new Set(storyboard.map((scene) => scene.id));
  const laneOfPrompt = (content: string) =>
    content === RACE_PROMPTS.A ? ("A" as const) : content === RACE_PROMPTS.B ? ("B" as const) : null;
  const laneOf = (message: (typeof thread)[number]) => {
    const user = message.role === "user" ? message : thread.find((other) => other.id === message.replyToId);
    return user ? laneOfPrompt(user.content) : null;
  };
  return {
    projectId,
    title: project?.title ?? "",
    isWelcome: project?.isWelcome ?? false,
    scenes: storyboard.map(({ id, order, name, kind }) => ({ id, order, name, kind })),
    messages: thread.map((message) => ({
      sequence: message.sequence,
      role: message.role,
      status: message.status,
      content: message.content,
      sceneId: message.sceneId,
      sceneExists: message.sceneId === null || sceneIds.has(message.sceneId),
      lane: laneOf(message),
    })),
  };
}

function judge(state: RaceState, lanes: WelcomeResetRun["lanes"], scheduleError: string | undefined): RaceVerdict {
  const notes: string[] = [];
  if (scheduleError) notes.push(`The schedule could not be forced as planned: ${scheduleError}`);
  for (const lane of lanes) {
    if (lane.error) notes.push(`Request ${lane.name} failed: ${lane.error}`);
  }

  const lost = state.messages.filter((message) => message.role === "assistant" && !message.sceneExists);
  if (lost.length > 0) {
    const sentences = lost.map((message) => {
      const victim = lanes.find((lane) => lane.name === message.lane);
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
    return { lost: lost.length, outcome: "lost", text: sentences.join(" "), notes };
  }

  const generated = state.scenes.filter((scene) => scene.kind === "generated").length;
  const welcome = state.scenes.filter((scene) => scene.kind === "welcome").length;
  const deleters = lanes.filter((lane) => lane.steps.some((step) => step.kind === "delete"));
  const failed = lanes.some((lane) => lane.error) || scheduleError !== undefined;
  if (generated === 2 && welcome === 0 && !state.isWelcome && !failed) {
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
