/**
 * One request of a race, on its own short-lived postgres.js client (one connection),
 * so every statement it sends is recorded, in order, by postgres.js's `debug` hook:
 * the hook runs as the statement is written to the socket, which gives its start time.
 * A lane runs one statement at a time, so a statement ends no later than the lane's
 * next event; that is the end the timeline draws. Lock waits come from race-kit's
 * LockMonitor, which polls pg_blocking_pids() for the backend running under this lane's
 * unique `application_name` (which also finds it through a transaction pooler).
 */
import { setTimeout as delay } from "node:timers/promises";

import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import type { PausePoint } from "race-kit";

import type { Database } from "~/server/db";
import * as schema from "~/server/db/schema";
import { behindTransactionPooler } from "~/server/db/session-settings";
import type { ModelCall } from "~/server/services/brain/model";
import { classifyStatement, formatParams } from "./classify";
import type { RaceLane, RaceStep } from "./types";

/** Milliseconds since the race started, to a tenth. */
export class RaceClock {
  #origin = performance.now();

  start() {
    this.#origin = performance.now();
  }

  now = () => Math.round((performance.now() - this.#origin) * 10) / 10;
}

const STATEMENT_TIMEOUT_MS = 8_000;

export class Lane {
  readonly steps: RaceStep[] = [];
  readonly db: Database;
  /** How the server's views (pg_stat_activity) name this lane's connection. */
  readonly applicationName: string;
  /** The backend of the lane's first statement (behind a transaction pooler, later ones may run on others). */
  pid = 0;
  finishedMs: number | undefined;
  error: string | undefined;
  #recording = false;
  #openWait: RaceStep | undefined;
  readonly #client: postgres.Sql;

  constructor(
    readonly name: "A" | "B",
    readonly prompt: string,
    readonly sceneName: string,
    databaseUrl: string,
    runId: string,
    private readonly clock: RaceClock,
  ) {
    this.applicationName = `race-lab-${runId}-${name}`;
    // Behind a transaction pooler: no prepared statements and no settings at startup (the
    // role's defaults bound its statements there, as they do the app's).
    const pooled = behindTransactionPooler();
    this.#client = postgres(databaseUrl, {
      max: 1,
      connect_timeout: 5,
      idle_timeout: 5,
      max_lifetime: 60,
      prepare: !pooled,
      onnotice: () => undefined,
      connection: {
        application_name: this.applicationName,
        ...(pooled ? {} : { statement_timeout: STATEMENT_TIMEOUT_MS }),
      },
      debug: (_connection, sql, params) => this.#onStatement(sql, params),
    });
    this.db = drizzle(this.#client, { schema });
  }

  /** Opens the connection and learns its backend pid; recording starts after this. */
  async connect() {
    const [row] = await this.#client<{ pid: number }[]>`select pg_backend_pid() as pid`;
    if (!row) throw new Error(`lane ${this.name}: no backend pid`);
    this.pid = row.pid;
    this.#recording = true;
  }

  #onStatement(sql: string, params: readonly unknown[]) {
    if (!this.#recording) return;
    const { kind, label } = classifyStatement(sql, params, this.sceneName);
    this.steps.push({ kind, label, sql: sql.trim(), params: formatParams(params), atMs: this.clock.now() });
  }

  /**
   * The model call of this lane's request: waits at `pause` (race-kit's pause point, which
   * the schedule releases), recorded as a step of this lane. After the release the "model"
   * thinks for `latencyMs` more (0: returns at once).
   */
  modelCall(pause: PausePoint, latencyMs = 0): ModelCall {
    return async () => {
      const label =
        latencyMs > 0
          ? `model call (paused by the schedule, then ${latencyMs} ms of simulated latency)`
          : "model call (paused by the schedule)";
      const step: RaceStep = { kind: "model", label, atMs: this.clock.now() };
      this.steps.push(step);
      await pause.wait();
      if (latencyMs > 0) await delay(latencyMs);
      step.endMs = this.clock.now();
    };
  }

  /** Called by the monitor: this lane's backend is waiting for a lock held by `holders`. */
  startWait(atMs: number, holders: string) {
    if (this.#openWait) return;
    this.#openWait = { kind: "wait", label: `waiting for a lock held by ${holders}`, atMs };
    this.steps.push(this.#openWait);
  }

  /** Called by the monitor: the backend is no longer waiting. */
  endWait(atMs: number) {
    const wait = this.#openWait;
    if (!wait) return;
    this.#openWait = undefined;
    // The wait ended no later than the next statement this lane sent.
    const next = this.steps.find((step) => step.atMs > wait.atMs && step.kind !== "wait" && step.kind !== "model");
    const endMs = Math.max(wait.atMs, Math.min(atMs, next?.atMs ?? atMs));
    wait.endMs = endMs;
    this.steps.push({ kind: "acquired", label: "lock acquired", atMs: endMs });
  }

  get waiting() {
    return this.#openWait !== undefined;
  }

  finish(error?: unknown) {
    this.finishedMs = this.clock.now();
    if (error !== undefined) {
      const message = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
      this.error = message.length > 300 ? `${message.slice(0, 299)}…` : message;
    }
  }

  async close() {
    this.#recording = false;
    await this.#client.end({ timeout: 1 });
  }

  toJSON(): RaceLane {
    const finishedMs = this.finishedMs ?? this.clock.now();
    if (this.#openWait) this.endWait(finishedMs);
    const steps = [...this.steps].sort((a, b) => a.atMs - b.atMs);
    // A statement lasts until the lane's next statement or model call starts.
    const timeline = steps.filter((step) => step.kind !== "wait" && step.kind !== "acquired");
    timeline.forEach((step, index) => {
      if (step.kind === "model") return;
      step.endMs = timeline[index + 1]?.atMs ?? finishedMs;
    });
    const lockWaitMs = steps
      .filter((step) => step.kind === "wait")
      .reduce((total, step) => total + ((step.endMs ?? step.atMs) - step.atMs), 0);
    return {
      name: this.name,
      prompt: this.prompt,
      sceneName: this.sceneName,
      pid: this.pid,
      steps,
      lockWaitMs: Math.round(lockWaitMs * 10) / 10,
      finishedMs,
      ...(this.error === undefined ? {} : { error: this.error }),
    };
  }
}
