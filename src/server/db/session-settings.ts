/**
 * The bounds every statement of the app runs under: `statement_timeout`, `lock_timeout`,
 * `idle_in_transaction_session_timeout`. Straight to PostgreSQL they are sent in each
 * connection's startup message. A transaction pooler (PgBouncer, Supavisor) refuses session
 * settings at startup and shares server connections between clients, so there they are the
 * app role's defaults in its database, set by the migration step over the direct URL.
 * See docs/reliability.md ("Every statement is bounded") and docs/deploying.md.
 */
import { env } from "~/env";

export function sessionSettings() {
  return {
    statement_timeout: env.DATABASE_STATEMENT_TIMEOUT_MS,
    lock_timeout: env.DATABASE_LOCK_TIMEOUT_MS,
    idle_in_transaction_session_timeout: env.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS,
  };
}

/** True when DATABASE_URL is a transaction-mode pooler: no prepared statements, no startup settings. */
export const behindTransactionPooler = () => env.DATABASE_POOLER === "transaction";
