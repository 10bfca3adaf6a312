/**
 * The interleaving explorer: runs two or three requests, each on its own connection
 * through a lane proxy (./proxy.ts), and decides which request's next statement goes
 * next. It runs every ordering that keeps each request's own order (PostgreSQL's
 * isolation tester's rule), discovering the statements as the code sends them, from a
 * fresh starting state each time: a depth-first search over the choices, one real run
 * per leaf. A released statement that waits for a lock is seen from the server
 * (pg_blocking_pids of the backend running under the lane's application_name, which also
 * holds behind a transaction pooler), and the explorer goes on with the others; orderings
 * that would need it to move are infeasible and never run. See race-kit/README.md.
 */
import { randomBytes } from "node:crypto";

import postgres from "postgres";

import { withTimeout } from "../deferred";
import { cancelStatements, lockWaits } from "../lock-waits";
import { LaneProxy, type StepRecord } from "./proxy";
import type {
  CheckInput,
  Damage,
  ExplorationReport,
  ExploreOptions,
  Interleaving,
  LaneConnection,
  RequestOutcome,
  Verdict,
} from "./types";

const POLL_MS = 1;

interface Harness<Db> {
  names: string[];
  lanes: LaneProxy[];
  connections: LaneConnection<Db>[];
  monitor: postgres.Sql;
  notes: string[];
}

interface Decision {
  enabled: string[];
  chosen: string;
}

type Policy = (enabled: string[], position: number) => string;

interface RunResult {
  interleaving: Interleaving;
  decisions: Decision[];
  diverged: boolean;
}

/** Explores every interleaving (or, past `maxInterleavings`, a seeded sample) and reports. */
export async function explore<Db, Context>(options: ExploreOptions<Db, Context>): Promise<ExplorationReport> {
  const started = performance.now();
  const seed = options.seed ?? 1;
  const max = options.maxInterleavings ?? Number.POSITIVE_INFINITY;
  return withHarness(options, async (harness) => {
    const seen = new Map<string, Interleaving>();
    let complete = false;
    let prefix: string[] = [];
    let path: { enabled: string[]; tried: Set<string> }[] = [];

    while (seen.size < max) {
      const run = await runOnce(harness, options, forced(prefix, harness.names));
      if (run.diverged) harness.notes.push(`nondeterminism: the forced prefix "${prefix.join(" ")}" could not be followed`);
      seen.set(run.interleaving.schedule, run.interleaving);
      path = run.decisions.map((decision, position) =>
        position < prefix.length && path[position]
          ? (path[position] as { enabled: string[]; tried: Set<string> })
          : { enabled: decision.enabled, tried: new Set([decision.chosen]) },
      );
      let depth = path.length - 1;
      while (depth >= 0 && path[depth]?.enabled.every((lane) => path[depth]?.tried.has(lane))) depth--;
      const point = path[depth];
      if (!point) {
        complete = true;
        break;
      }
      const alternative = point.enabled.find((lane) => !point.tried.has(lane)) as string;
      point.tried.add(alternative);
      path = path.slice(0, depth + 1);
      prefix = [...run.decisions.slice(0, depth).map((decision) => decision.chosen), alternative];
    }

    let estimatedFeasible: number | undefined;
    if (!complete && (options.samples ?? 0) > 0) {
      const random = seededRandom(seed);
      const estimates: number[] = [];
      for (let sample = 0; sample < (options.samples ?? 0); sample++) {
        let branches = 1;
        const run = await runOnce(harness, options, (enabled) => {
          branches *= enabled.length;
          return enabled[Math.floor(random() * enabled.length)] as string;
        });
        estimates.push(branches);
        if (!seen.has(run.interleaving.schedule)) seen.set(run.interleaving.schedule, run.interleaving);
      }
      estimatedFeasible = Math.round(estimates.reduce((sum, value) => sum + value, 0) / estimates.length);
    }

    const interleavings = [...seen.values()];
    const breaking = interleavings.filter((interleaving) => interleaving.verdict === "broken");
    for (const interleaving of breaking.slice(0, options.locateDamage ?? 10)) {
      interleaving.damage = (await runLocatingDamage(harness, options, interleaving.schedule)).damage;
    }
    // Requests may send more or fewer statements depending on what they read, so the
    // orderings are counted per shape (statements per request) and summed.
    const shapes = new Map<string, number[]>();
    for (const interleaving of interleavings) {
      const shape = harness.names.map((name) => interleaving.steps.filter((step) => step.lane === name).length);
      shapes.set(shape.join(","), shape);
    }
    const stepsPerLane = Object.fromEntries(
      harness.names.map((name, index) => {
        const counts = [...shapes.values()].map((shape) => shape[index] ?? 0);
        const [low, high] = [Math.min(...counts), Math.max(...counts)];
        return [name, low === high ? `${low}` : `${low}–${high}`];
      }),
    );
    const total = [...shapes.values()].reduce((sum, shape) => sum + multinomial(shape), 0);
    const counts: Record<Verdict, number> = { broken: 0, deadlock: 0, blocked: 0, ok: 0, error: 0 };
    for (const interleaving of interleavings) counts[interleaving.verdict]++;
    return {
      name: options.name ?? harness.names.join(" ∥ "),
      lanes: harness.names,
      stepsPerLane,
      total,
      feasible: complete ? interleavings.length : undefined,
      infeasible: complete ? Math.max(0, total - interleavings.length) : undefined,
      estimatedFeasible,
      explored: interleavings.length,
      complete,
      counts,
      interleavings,
      breaking,
      notes: [...new Set(harness.notes)],
      durationMs: Math.round(performance.now() - started),
      seed,
    };
  });
}

/** Runs one interleaving given as a schedule string ("A1 B1 A2 …"), checking after every step. */
export async function replay<Db, Context>(options: ExploreOptions<Db, Context>, schedule: string): Promise<Interleaving> {
  return withHarness(options, (harness) => runLocatingDamage(harness, options, schedule));
}

export function parseSchedule(schedule: string): string[] {
  return schedule
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map((token) => {
      const match = /^([A-Za-z]+)\d+$/.exec(token);
      if (!match?.[1]) throw new Error(`"${token}" is not a step (expected a lane name and a number, like A3)`);
      return match[1];
    });
}

function forced(prefix: string[], names: string[]): Policy {
  return (enabled, position) => {
    const wanted = prefix[position];
    if (wanted !== undefined) {
      if (!names.includes(wanted)) throw new Error(`no request named ${wanted}`);
      return enabled.includes(wanted) ? wanted : `!${wanted}`;
    }
    return enabled[0] as string;
  };
}

async function withHarness<Db, Context, T>(
  options: ExploreOptions<Db, Context>,
  body: (harness: Harness<Db>) => Promise<T>,
): Promise<T> {
  const names = Object.keys(options.requests);
  if (names.length < 2) throw new Error("explore needs at least two requests");
  const upstream = new URL(options.databaseUrl);
  const host = upstream.hostname === "localhost" ? "127.0.0.1" : upstream.hostname;
  const port = Number(upstream.port || 5432);
  const lanes: LaneProxy[] = [];
  const connections: LaneConnection<Db>[] = [];
  const monitor = postgres(options.databaseUrl, {
    max: 1,
    // Unnamed statements only: a transaction pooler may run each on another server connection.
    prepare: false,
    onnotice: () => undefined,
    connection: { application_name: "race-kit-explorer" },
  });
  const notes: string[] = [];
  // Unique on the server, so two explorations at once (or a stale backend) are never confused.
  const run = randomBytes(4).toString("hex");
  try {
    for (const name of names) {
      const lane = await LaneProxy.listen(name, `race-kit-explorer-${run}-${name}`, host, port);
      lanes.push(lane);
      const url = new URL(options.databaseUrl);
      url.hostname = "127.0.0.1";
      url.port = String(lane.port);
      connections.push(await options.connect(url.toString(), name));
      if (lane.pid === undefined) throw new Error(`connect() for ${name} returned before its connection opened: run a query in it`);
      const deadlockTimeout = options.deadlockTimeoutMs ?? 50;
      const refused = await lane.inject(`set deadlock_timeout = '${deadlockTimeout}ms'`);
      if (refused) notes.push(`deadlock_timeout stays at the server's setting (${refused}): a deadlock takes that long to break`);
    }
    return await body({ names, lanes, connections, monitor, notes });
  } finally {
    await Promise.allSettled(connections.map((connection) => connection.close()));
    await Promise.allSettled(lanes.map((lane) => lane.close()));
    await monitor.end({ timeout: 1 });
  }
}

async function runOnce<Db, Context>(
  harness: Harness<Db>,
  options: ExploreOptions<Db, Context>,
  policy: Policy,
  afterStep?: (step: StepRecord) => Promise<void>,
): Promise<RunResult> {
  const { lanes, names, connections } = harness;
  const context = await options.setup();
  const origin = performance.now();
  const clock = () => Math.round((performance.now() - origin) * 100) / 100;
  const outcomes: Record<string, RequestOutcome> = {};
  const steps: StepRecord[] = [];
  const decisions: Decision[] = [];
  const notes: string[] = [];
  let diverged = false;
  let wake: () => void = () => undefined;
  const notify = () => wake();
  const changed = (ms: number) =>
    new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
  /**
   * Lanes seen waiting for a lock. Valid until a statement ends that may have released
   * locks: one that ended its transaction (or ran outside one), failed it, rolled back to
   * a savepoint or released an advisory lock. A statement that leaves its transaction
   * open and healthy releases nothing, so it does not send the explorer back to the server.
   */
  const blocked = new Set<string>();
  const settled = new Set<string>();
  const completions = () => steps.filter((step) => step.completedAtMs !== undefined && mayReleaseLocks(step)).length;
  let blockedAsOf = -1;

  for (const lane of lanes) {
    lane.clock = clock;
    lane.onChange = notify;
    lane.arm();
  }
  const requests = names.map((name, index) =>
    Promise.resolve()
      .then(() => (options.requests[name] as (db: Db, context: Context) => Promise<unknown>)(connections[index]!.db, context))
      .then(
        (value) => (outcomes[name] = { ok: true, value }),
        (error: unknown) => (outcomes[name] = { ok: false, error, ...describeError(error) }),
      )
      .finally(() => {
        settled.add(name);
        notify();
      }),
  );

  const stateOf = (lane: LaneProxy) => {
    if (lane.pending) return "pending";
    if (lane.inFlight) return blocked.has(lane.name) ? "blocked" : "executing";
    return settled.has(lane.name) ? "done" : "running";
  };

  /** Waits until every lane waits for its turn, waits for a lock, or has finished. */
  const settle = async () => {
    const deadline = performance.now() + (options.stuckTimeoutMs ?? 5_000);
    for (;;) {
      const failure = lanes.find((lane) => lane.failure)?.failure;
      if (failure) throw failure;
      if (blockedAsOf !== completions()) blocked.clear();
      const states = lanes.map(stateOf);
      if (states.every((state) => state !== "running" && state !== "executing")) return true;
      if (performance.now() > deadline) return false;
      const executing = lanes.filter((lane, index) => states[index] === "executing");
      if (executing.length > 0) {
        if (await changed(POLL_MS)) continue;
        const asOf = completions();
        const waits = await waitingFor(harness.monitor, executing);
        if (asOf !== completions()) continue;
        blockedAsOf = asOf;
        for (const lane of executing) {
          const blockers = waits.get(lane.name);
          const step = lane.inFlight;
          if (!blockers || blockers.length === 0 || !step) continue;
          blocked.add(lane.name);
          step.waited ??= { sinceMs: clock(), blockers };
        }
      } else {
        await changed(Math.max(1, deadline - performance.now()));
      }
    }
  };

  let stuck = false;
  try {
    for (;;) {
      if (!(await settle())) {
        stuck = true;
        break;
      }
      const enabled = lanes.filter((lane) => lane.pending).map((lane) => lane.name);
      if (enabled.length === 0) {
        if (lanes.every((lane) => stateOf(lane) === "done")) break;
        // Everyone left is waiting for a lock: PostgreSQL's deadlock detector or a lock_timeout decides.
        if (!(await changed(options.stuckTimeoutMs ?? 5_000))) {
          stuck = true;
          break;
        }
        continue;
      }
      let chosen = policy(enabled, decisions.length);
      if (chosen.startsWith("!")) {
        diverged = true;
        chosen = enabled[0] as string;
      }
      decisions.push({ enabled, chosen });
      const step = (lanes.find((lane) => lane.name === chosen) as LaneProxy).release();
      steps.push(step);
      if (afterStep) {
        if (!(await settle())) {
          stuck = true;
          break;
        }
        await afterStep(step);
      }
    }
  } finally {
    if (stuck) {
      notes.push("stuck: no request could move; their statements were cancelled");
      await cancelStatements(
        harness.monitor,
        lanes.filter((lane) => lane.inFlight).map((lane) => lane.applicationName),
      );
    }
    for (const lane of lanes) lane.disarm();
    const timeoutMs = options.stuckTimeoutMs ?? 5_000;
    const finished = await withTimeout(Promise.all(requests), timeoutMs, "the requests to finish").then(
      () => true,
      () => false,
    );
    if (!finished) notes.push(`a request did not finish within ${timeoutMs} ms of the end of its run`);
    for (const lane of lanes) {
      while (!lane.idle) if (!(await changed(timeoutMs))) throw new Error(`lane ${lane.name}'s connection did not go idle`);
    }
  }

  const input: CheckInput = { final: true, outcomes };
  const violations = await options.check(context, input);
  const verdict: Verdict = stuck
    ? "error"
    : violations.length > 0
      ? "broken"
      : steps.some((step) => step.error?.sqlState === "40P01")
        ? "deadlock"
        : steps.some((step) => step.waited)
          ? "blocked"
          : "ok";
  return {
    diverged,
    decisions,
    interleaving: {
      schedule: steps.map((step) => `${step.lane}${step.index}`).join(" "),
      verdict,
      violations,
      steps,
      outcomes: Object.fromEntries(
        Object.entries(outcomes).map(([name, { ok, message, sqlState }]) => [name, { ok, message, sqlState }]),
      ),
      notes,
      durationMs: clock(),
    },
  };
}

/**
 * Replays a schedule, checking the committed data after every step. The damage is the
 * first step after which the data shows a violation the run ends with (a passing
 * in-between state, like a flag cleared a statement before its scene is deleted, is not).
 */
async function runLocatingDamage<Db, Context>(
  harness: Harness<Db>,
  options: ExploreOptions<Db, Context>,
  schedule: string,
): Promise<Interleaving> {
  const seen: { step: StepRecord; violations: string[] }[] = [];
  let context: Context | undefined;
  const setup = options.setup;
  const withContext: ExploreOptions<Db, Context> = { ...options, setup: async () => (context = await setup()) };
  const { interleaving } = await runOnce(harness, withContext, forced(parseSchedule(schedule), harness.names), async (step) => {
    seen.push({ step, violations: await options.check(context as Context, { final: false, outcomes: {} }) });
  });
  const lasting = new Set(interleaving.violations);
  const culprit =
    seen.find(({ violations }) => violations.some((violation) => lasting.has(violation))) ??
    seen.find(({ violations }) => violations.length > 0);
  if (interleaving.verdict === "broken" && culprit) {
    const { step, violations } = culprit;
    const damage: Damage = { step: `${step.lane}${step.index}`, sql: oneLine(step.sql), violations };
    if (/^\s*commit\b/i.test(step.sql)) {
      const ownSteps = seen.map((entry) => entry.step).filter((other) => other.lane === step.lane && other.index <= step.index);
      let begin = ownSteps.length - 2;
      while (begin >= 0 && ownSteps[begin]?.transactionStatus === "T") begin--;
      damage.transaction = ownSteps
        .slice(begin + 1, -1)
        .filter((other) => /^\s*(insert|update|delete|with)\b/i.test(other.sql))
        .map((other) => `${other.lane}${other.index} ${oneLine(other.sql)}`);
    }
    interleaving.damage = damage;
  }
  return interleaving;
}

function mayReleaseLocks(step: StepRecord) {
  return step.transactionStatus !== "T" || /\brollback\s+to\b|\brelease\b|advisory_unlock/i.test(step.sql);
}

/** For each lane whose statement waits for a lock: who holds it (a lane's name, or the holder's pid). */
async function waitingFor(monitor: postgres.Sql, lanes: LaneProxy[]) {
  const laneNames = new Map(lanes.map((lane) => [lane.applicationName, lane.name]));
  const waits = await lockWaits(monitor, [...laneNames.keys()]);
  return new Map(
    [...waits].map(([waiter, holders]) => [
      laneNames.get(waiter) as string,
      holders.map((holder) => laneNames.get(holder.applicationName) ?? `pid ${holder.pid}`),
    ]),
  );
}

export function describeError(error: unknown): { message: string; sqlState?: string } {
  let sqlState: string | undefined;
  for (let current = error, depth = 0; current && typeof current === "object" && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) {
      sqlState = code;
      break;
    }
    current = (current as { cause?: unknown }).cause;
  }
  const message = error instanceof Error ? error.message : String(error);
  return { message: message.length > 300 ? `${message.slice(0, 299)}…` : message, ...(sqlState ? { sqlState } : {}) };
}

export const oneLine = (sql: string) => sql.replace(/\s+/g, " ").trim();

/** (n1 + n2 + …)! / (n1! n2! …): the orderings of the steps that keep each lane's own order. */
export function multinomial(counts: number[]): number {
  let result = 1n;
  let placed = 0n;
  for (const count of counts) {
    for (let k = 1n; k <= BigInt(count); k++) {
      placed++;
      result = (result * placed) / k;
    }
  }
  return Number(result);
}

/** A small seeded generator (mulberry32), so a sample can be run again. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
