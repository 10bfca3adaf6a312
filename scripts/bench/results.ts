/** Everything one full run measured, as the report (./report.ts) and the charts (./charts.ts) read it. */
import type { ApplyOverheadResult } from "./scenarios/apply-overhead";
import type { CrossProjectResult } from "./scenarios/cross-project";
import type { DatabaseLimitResult } from "./scenarios/database-limit";
import type { InterleavingsResult } from "./scenarios/interleavings";
import type { LockScopeResult } from "./scenarios/lock-scope";
import type { PageResult } from "./scenarios/page";
import type { PgBouncerResult } from "./scenarios/pgbouncer";
import type { PoolPressureResult } from "./scenarios/pool-pressure";
import type { StatementsResult } from "./scenarios/statements";
import type { Captured } from "./sql/capture";

export interface BuildInfo {
  seconds: number;
  reused: boolean;
  routeTable: string;
}

export interface Results {
  captured: Captured;
  s1: ApplyOverheadResult;
  s2: LockScopeResult;
  s3: CrossProjectResult;
  s4: PoolPressureResult;
  s5: DatabaseLimitResult;
  /** Absent when PgBouncer is not installed. */
  s6: PgBouncerResult | undefined;
  statements: StatementsResult;
  interleavings: InterleavingsResult;
  page: PageResult;
  pgbouncerVersion: string;
  build: BuildInfo;
  postgresVersion: string;
  loadBefore: number[];
  loadAfter: number[];
  seconds: number;
}
