import { z } from "zod";

/**
 * Every environment variable the app reads, validated once with zod so a typo
 * fails at start with a readable message instead of deep inside a request.
 * The README lists each one; keep the two in step.
 */
const booleanFlag = z
  .enum(["0", "1", "true", "false"])
  .optional()
  .transform((value) => value === "1" || value === "true");

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// connection URL")
    .optional(),
  /**
   * The server itself, not a transaction pooler: migrations and session-level advisory locks
   * use it. Defaults to DATABASE_URL; required with DATABASE_POOLER=transaction.
   */
  DATABASE_DIRECT_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// connection URL")
    .optional(),
  /** Which driver the one database module uses (src/server/db/drivers/). */
  DATABASE_DRIVER: z.enum(["postgres-js", "node-postgres"]).default("postgres-js"),
  /** `transaction`: DATABASE_URL is a transaction-mode pooler (PgBouncer, Supavisor); see docs/deploying.md. */
  DATABASE_POOLER: z.enum(["none", "transaction"]).default("none"),
  /** The development query log (src/server/db/query-log.ts): every statement, its duration and rows. */
  DATABASE_LOG: booleanFlag,
  PGDATA_DIR: z.string().min(1).optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  DATABASE_LOCK_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(5000),
  /** Every statement's bound; above twice DATABASE_LOCK_TIMEOUT_MS, so a lock wait reports as busy. */
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
  /** A transaction left idle this long (a stalled process) is ended by the server, its locks freed. */
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5000),
  SESSION_SECRET: z.string().min(32, "must be at least 32 characters (try: openssl rand -base64 32)").optional(),
  /** The secret SESSION_SECRET replaced: cookies it signed are still accepted, and re-signed. */
  SESSION_SECRET_PREVIOUS: z.string().min(32, "must be at least 32 characters, like SESSION_SECRET").optional(),
  GENERATION_LATENCY_MS: z.coerce.number().int().min(0).max(60_000).default(1200),
  EXCHANGE_LEASE_MS: z.coerce.number().int().min(1000).max(3_600_000).default(30_000),
  RACE_LAB: booleanFlag,
})
  // A statement queued behind another waiter on a row (two requests per row reach the database,
  // src/server/db/lock-queue.ts) waits twice — for its turn at the row, then for the holder —
  // each up to lock_timeout: the statement's bound must leave room for both.
  .refine((env) => env.DATABASE_STATEMENT_TIMEOUT_MS > 2 * env.DATABASE_LOCK_TIMEOUT_MS, {
    path: ["DATABASE_STATEMENT_TIMEOUT_MS"],
    message:
      "must be above twice DATABASE_LOCK_TIMEOUT_MS: a statement queued behind another waiter on a row waits for two locks, " +
      "each up to the lock timeout, and that wait must end as 'busy', not as a cancelled statement",
  })
  .refine((env) => !(env.DATABASE_LOG && env.NODE_ENV === "production"), {
    path: ["DATABASE_LOG"],
    message:
      "is for development only (it prints every SQL statement to the console) and is refused when NODE_ENV=production " +
      "(next build, next start): unset it, or set it only for `npm run dev`",
  })
  .refine((env) => env.DATABASE_POOLER === "none" || !env.DATABASE_URL || env.DATABASE_DIRECT_URL, {
    path: ["DATABASE_DIRECT_URL"],
    message: "is required with DATABASE_POOLER=transaction: migrations take a session-level lock, which a transaction pooler cannot hold",
  });

export type Env = z.infer<typeof envSchema>;

export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const emptyAsUnset = Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined && value !== ""),
  );
  const result = envSchema.safeParse(emptyAsUnset);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid environment variables:\n${lines.join("\n")}`);
  }
  return result.data;
}

export const env = parseEnv();

/** The Race Lab (broken variants) runs outside production builds, or with RACE_LAB=1. */
export const isRaceLabEnabled = env.RACE_LAB || env.NODE_ENV !== "production";
