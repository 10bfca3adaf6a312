import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";

import type { QueryLogSink } from "../query-log";
import type * as schema from "../schema";

/** Drizzle over either driver: the rest of the app uses only what both have. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface PoolOptions {
  max: number;
  applicationName?: string;
  /** No prepared statements and no settings at startup: DATABASE_URL is a transaction pooler. */
  behindPooler: boolean;
  /** Sent at startup when not behind a pooler (../session-settings.ts). */
  settings: Record<string, number>;
  connectTimeoutMs: number;
  /** Set: every statement is logged there with its duration (../query-log.ts); unset: nothing is installed. */
  queryLog?: QueryLogSink;
}

export interface OpenedPool {
  db: Database;
  close: () => Promise<void>;
}
