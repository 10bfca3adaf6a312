import type { StepRecord } from "./proxy";

export type { StepRecord } from "./proxy";

/** A request's own database handle, on one connection through its lane's proxy. */
export interface LaneConnection<Db> {
  db: Db;
  close: () => Promise<void>;
}

export interface RequestOutcome {
  ok: boolean;
  value?: unknown;
  error?: unknown;
  /** The error's message and SQLSTATE (walking `cause`), when it failed. */
  message?: string;
  sqlState?: string;
}

export interface CheckInput {
  /** False for the checks between steps that locate the damage (requests still running). */
  final: boolean;
  /** How each request ended (empty while they run). */
  outcomes: Record<string, RequestOutcome>;
}

export interface ExploreOptions<Db, Context> {
  /** Printed in the report. */
  name?: string;
  /** The real server. The lanes' proxies forward to it; the explorer watches locks through it. */
  databaseUrl: string;
  /**
   * Opens ONE connection to `url` with your driver (a pool of one), runs a first query so
   * it is open, and returns your handle. Called once per lane for the whole exploration.
   */
  connect: (url: string, lane: string) => Promise<LaneConnection<Db>>;
  /** Builds a fresh starting state for one interleaving (on your own connection, not a lane's). */
  setup: () => Promise<Context>;
  /** Two or three requests, by name ("A", "B", …): the code under test, unchanged. */
  requests: Record<string, (db: Db, context: Context) => Promise<unknown>>;
  /** Your invariants: the violations in plain words (none: the interleaving is fine). */
  check: (context: Context, input: CheckInput) => Promise<string[]> | string[];
  /** Explore interleavings in order up to this many (default: all of them). */
  maxInterleavings?: number;
  /** Past `maxInterleavings`, this many random interleavings (seeded). Default 0. */
  samples?: number;
  seed?: number;
  /** How many breaking interleavings to replay, checking after every step, to name the damage. Default 10. */
  locateDamage?: number;
  /** A run in which nothing can move for this long is stopped and reported. Default 5000. */
  stuckTimeoutMs?: number;
  /** Lowers `deadlock_timeout` on the lanes' connections (needs a superuser; a note says if it could not). Default 50. */
  deadlockTimeoutMs?: number;
}

export type Verdict = "broken" | "deadlock" | "blocked" | "ok" | "error";

export interface Damage {
  /** The step after which the committed data first broke an invariant, e.g. "B5". */
  step: string;
  sql: string;
  /** When that step is a COMMIT: the writes of the transaction it committed. */
  transaction?: string[];
  violations: string[];
}

export interface Interleaving {
  /** Replayable: the order in which statements were released, e.g. "A1 A2 B1 A3 B2". */
  schedule: string;
  /**
   * `broken`: an invariant failed. `deadlock`: PostgreSQL broke a deadlock (the code may have
   * retried). `blocked`: fine, and some statement waited for a lock. `error`: the run
   * could not finish (stuck) — see `notes`.
   */
  verdict: Verdict;
  violations: string[];
  steps: StepRecord[];
  outcomes: Record<string, Pick<RequestOutcome, "ok" | "message" | "sqlState">>;
  damage?: Damage;
  notes: string[];
  durationMs: number;
}

export interface ExplorationReport {
  name: string;
  lanes: string[];
  /** Statements each request sent (after the reductions): "7", or "5–7" when it depends on the order. */
  stepsPerLane: Record<string, string>;
  /**
   * Orderings that keep each request's own order: for every shape seen (statements per
   * request), the multinomial of that shape, summed. An upper bound of `feasible`.
   */
  total: number;
  /** Orderings that can actually run (a request waiting for a lock cannot move); known when `complete`. */
  feasible: number | undefined;
  /** `total − feasible`, when complete. */
  infeasible: number | undefined;
  /** Knuth's estimate of `feasible` from the random samples (bounded mode). */
  estimatedFeasible: number | undefined;
  /** Distinct interleavings run. */
  explored: number;
  /** True when every feasible interleaving was run. */
  complete: boolean;
  counts: Record<Verdict, number>;
  interleavings: Interleaving[];
  breaking: Interleaving[];
  notes: string[];
  durationMs: number;
  seed: number;
}
