/**
 * Reading PostgreSQL error codes (SQLSTATE). Drizzle >= 0.44 wraps driver errors in a
 * DrizzleQueryError, so the code lives on `err.cause.code`; we walk the cause chain
 * rather than assume one depth. See docs/patterns/welcome-reset.md.
 */
export const SqlState = {
  serializationFailure: "40001",
  deadlockDetected: "40P01",
  lockNotAvailable: "55P03",
  uniqueViolation: "23505",
  queryCanceled: "57014",
  adminShutdown: "57P01",
} as const;

export function sqlStateOf(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    if (typeof current !== "object") return undefined;
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export function isRetryableTransactionError(error: unknown) {
  const state = sqlStateOf(error);
  return state === SqlState.serializationFailure || state === SqlState.deadlockDetected;
}

/** postgres.js's own codes for a connection that failed, and Node's socket errors. */
const DRIVER_CONNECTION_ERRORS = new Set([
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
]);

/**
 * Server codes that end the session: 08xxx (connection exceptions), 57P01–57P03 (shutdown,
 * crash, cannot connect now), 25P03 (idle_in_transaction_session_timeout), 25P04
 * (transaction_timeout, PostgreSQL 17+).
 */
const SESSION_ENDED = /^(08...|57P0[123]|25P0[34])$/;

/** node-postgres says these in words only, with no code (pg/lib/client.js, pg-pool). */
const NODE_POSTGRES_CONNECTION_MESSAGES =
  /^(Connection terminated|Client has encountered a connection error|Client was closed|timeout expired$|timeout exceeded when trying to connect$)/;

/**
 * The connection died under the query or could not be made in time (server shutdown or
 * restart, backend terminated, idle transaction ended by the server, network). The work of
 * an open transaction is rolled back with it.
 */
export function isConnectionLost(error: unknown): boolean {
  for (let current = error, depth = 0; current && typeof current === "object" && depth < 5; depth++) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === "string" && (DRIVER_CONNECTION_ERRORS.has(code) || SESSION_ENDED.test(code))) return true;
    if (code === undefined && typeof message === "string" && NODE_POSTGRES_CONNECTION_MESSAGES.test(message)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

export type DatabaseFailureKind = "connection-lost" | "busy" | "timed-out" | "conflict" | "duplicate";

export interface DatabaseFailure {
  kind: DatabaseFailureKind;
  /** Said to the user: what happened and what to do; never the SQL. */
  message: string;
}

/**
 * The failures a caller can act on (retry, wait, refresh), in words; `undefined` for
 * anything else, which is a bug, not input. The API layer gives each kind its tRPC code
 * (~/server/api/errors.ts); a generation stores the message as the reply's error.
 */
export function databaseFailureOf(error: unknown): DatabaseFailure | undefined {
  if (isConnectionLost(error)) {
    return {
      kind: "connection-lost",
      message: "The database connection was interrupted and nothing was saved for this step. Try again.",
    };
  }
  switch (sqlStateOf(error)) {
    case SqlState.lockNotAvailable:
      return { kind: "busy", message: "This project is busy with another change. Try again in a moment." };
    case SqlState.queryCanceled:
      // statement_timeout (every connection has one): the statement, or its transaction, did nothing.
      return { kind: "timed-out", message: "The database took too long to answer and nothing was saved for this step. Try again." };
    case SqlState.serializationFailure:
    case SqlState.deadlockDetected:
      return { kind: "conflict", message: "The project changed while saving. Try again." };
    case SqlState.uniqueViolation:
      // The unique constraints are backstops: reaching one means a lock is missing somewhere.
      return { kind: "duplicate", message: "A conflicting change was saved at the same time. Refresh and try again." };
    default:
      return undefined;
  }
}
