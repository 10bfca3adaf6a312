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

const DRIVER_CONNECTION_ERRORS = new Set(["CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECTION_DESTROYED", "ECONNRESET", "ECONNREFUSED"]);

/** The connection died under the query (server shutdown, backend terminated, network). */
export function isConnectionLost(error: unknown): boolean {
  for (let current = error, depth = 0; current && typeof current === "object" && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") {
      if (DRIVER_CONNECTION_ERRORS.has(code) || code.startsWith("08") || /^57P0[123]$/.test(code)) return true;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
