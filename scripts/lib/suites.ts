/**
 * The database-facing test suites, grouped by what they prove, for the runs that repeat them
 * on other stacks: `npm run test:pooler` (../run-pooler.ts: the pooler column) and
 * `npm run test:matrix` (../run-matrix.ts: every driver × connection). Every file in
 * tests/integration belongs to exactly one suite; `checkSuites()` fails a run when one is
 * missing or listed but gone, so the lists cannot drift from the tree.
 * See docs/deploying.md ("The matrix").
 */
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";

export type SuiteName = "integration" | "race" | "explorer";

const file = (name: string) => `tests/integration/${name}.test.ts`;

export const SUITES: Record<SuiteName, string[]> = {
  /** The app's procedures, faults and bounds against a real server. */
  integration: [
    "generate-scene",
    "generation-queries",
    "transactions",
    "ownership",
    "project",
    "faults",
    "hostile-input",
    "http",
    "request-guards",
    "lab-bounds",
    "scene-unlink-index",
    "statement-bounds",
    "connection-loss",
    "postgres-driver-patch",
    "embedded-postgres",
    "hot-reload",
    "query-log",
    "round-trips",
  ].map(file),
  /** Forced races: lock gates, pause points, the Race Lab's lanes, concurrent claims. */
  race: ["welcome-reset-race", "lab-welcome-reset-race", "idempotency", "contention", "scene-update", "exchange-lease", "lab"].map(file),
  /** Every interleaving: race-kit's explorer on the app's code and on the worked examples. */
  explorer: ["tests/integration/explorer", file("lab-explore")],
};

/** Only meaningful through a transaction pooler: the naive configurations failing, the fixed one passing. */
export const POOLER_ONLY = ["tests/pooler"];

/** Not run through the pooler, and why: each tests something a pooler has no part in. */
export const DIRECT_ONLY: Record<string, string> = {
  [file("embedded-postgres")]: "starts and stops the embedded server itself",
  [file("hot-reload")]: "runs `next dev` in a copy of the repo on a database of its own",
  [file("postgres-driver-patch")]: "postgres.js's own socket teardown, against a proxy that cuts the server's side",
  [file("statement-bounds")]:
    "varies the bounds per connection with env stubs; behind the pooler they are role defaults, which tests/pooler reads back",
};

/** The files of `suite` for a connection, straight to PostgreSQL or through a pooler. */
export function suiteFiles(suite: SuiteName, { pooled }: { pooled: boolean }): string[] {
  return SUITES[suite].filter((entry) => !pooled || !(entry in DIRECT_ONLY));
}

/** Throws unless every integration test file is in exactly one suite and every listed path exists. */
export function checkSuites(root = process.cwd()) {
  const listed = Object.values(SUITES).flat();
  const missing = listed.filter((entry) => !existsSync(path.join(root, entry)));
  const covered = (candidate: string) => listed.some((entry) => candidate === entry || candidate.startsWith(`${entry}/`));
  const unlisted = readdirSync(path.join(root, "tests/integration"), { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".test.ts"))
    .map((name) => `tests/integration/${name.split(path.sep).join("/")}`)
    .filter((candidate) => !covered(candidate));
  if (missing.length > 0 || unlisted.length > 0) {
    throw new Error(
      `scripts/lib/suites.ts is out of date: ${[...missing.map((entry) => `${entry} is listed but missing`), ...unlisted.map((entry) => `${entry} is in no suite`)].join("; ")}`,
    );
  }
}
