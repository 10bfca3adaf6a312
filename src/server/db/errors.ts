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
