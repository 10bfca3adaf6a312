/**
 * What a Race Lab run returns: plain JSON (numbers and strings), so the page can draw
 * it and a reader can paste it into an issue. Times are milliseconds since the race
 * started, measured in this process with `performance.now()`.
 */
import type { TwoRequestSchedule } from "race-kit";

import type { WelcomeResetStrategy } from "~/lib/lab";

/**
 * race-kit's two-request schedules (race-kit/src/schedules.ts), run on the lab's lanes:
 * - `sequential`: both requests start and pause at the model call; A is released and
 *   completes; then B is released (a double-click with a slow model).
 * - `gated`: both pause at the model call; a gate connection locks the project row;
 *   both are released and queue behind the gate (checked with pg_blocking_pids); the
 *   gate commits and they race for the lock.
 * - `queued`: for the lock-across-model-call variant, whose claim holds the lock through
 *   the model call: A starts and pauses holding it; B starts and queues behind A.
 */
export type RaceSchedule = TwoRequestSchedule;

export type StepKind =
  | "begin"
  | "commit"
  | "rollback"
  | "read"
  | "lock"
  | "update"
  | "delete"
  | "insert"
  | "config"
  | "model"
  | "wait"
  | "acquired"
  | "other";

export interface RaceStep {
  kind: StepKind;
  /** Plain words: "lock the project row", "delete every scene of the project". */
  label: string;
  /** The SQL as postgres.js sent it (parameters as $1, $2, …). */
  sql?: string;
  /** The parameters, abbreviated. */
  params?: string;
  atMs: number;
  /**
   * Statements: when the lane's next event started (a lane has one connection and runs
   * one statement at a time, so this is an upper bound of the statement's end).
   * Model calls and lock waits: when they ended.
   */
  endMs?: number;
  /** Marks the step that did the damage in a lossy run (the delete that removed a scene). */
  culprit?: boolean;
}

export interface RaceLane {
  name: "A" | "B";
  prompt: string;
  /** The scene this request meant to add. */
  sceneName: string;
  /** PostgreSQL backend pid of the lane's connection. */
  pid: number;
  steps: RaceStep[];
  /** Total time this lane was seen waiting for a lock. */
  lockWaitMs: number;
  finishedMs: number;
  error?: string;
}

export interface RaceStateScene {
  id: string;
  order: number;
  name: string;
  kind: "welcome" | "generated";
}

export interface RaceStateMessage {
  sequence: number;
  role: "user" | "assistant";
  status: "pending" | "building" | "success" | "error";
  content: string;
  sceneId: string | null;
  /** False when the reply points at a scene that no longer exists: a lost scene. */
  sceneExists: boolean;
  lane: "A" | "B" | null;
}

export interface RaceState {
  projectId: string;
  title: string;
  isWelcome: boolean;
  scenes: RaceStateScene[];
  messages: RaceStateMessage[];
}

export interface RaceVerdict {
  /** Replies pointing at a scene that no longer exists. */
  lost: number;
  /**
   * `lost`: a scene is gone. `safe`: both scenes kept, the welcome reset done once.
   * `warning`: nothing lost, but not clean either (a request failed, or both deleted
   * scenes and the order happened to save them).
   */
  outcome: "lost" | "safe" | "warning";
  text: string;
  notes: string[];
}

export interface WelcomeResetRun {
  strategy: WelcomeResetStrategy;
  schedule: RaceSchedule;
  scheduleText: string;
  lanes: RaceLane[];
  /** When the gate held the project row (gated schedule only). */
  gate: { atMs: number; endMs: number } | null;
  verdict: RaceVerdict;
  state: RaceState;
  durationMs: number;
  /** How often pg_stat_activity was polled for lock waits. */
  pollIntervalMs: number;
}

export interface ToolRegistrationDesign {
  design: "naive" | "fixed";
  title: string;
  /** What was done to the registry, in plain words. */
  steps: string[];
  counts: { tool: string; count: number }[];
  verdict: { ok: boolean; text: string };
}

export interface ToolRegistrationRun {
  designs: ToolRegistrationDesign[];
  durationMs: number;
}
