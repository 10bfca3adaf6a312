/**
 * The one place that turns PostgreSQL errors (by SQLSTATE) into tRPC errors a client
 * can act on. Anything not listed stays a 500 and is logged: it is a bug, not input.
 * See docs/patterns/welcome-reset.md ("Errors").
 */
import { TRPCError } from "@trpc/server";

import { isConnectionLost, SqlState, sqlStateOf } from "~/server/db/errors";

export function databaseErrorToTRPC(error: unknown): TRPCError | undefined {
  if (isConnectionLost(error)) {
    return new TRPCError({
      code: "SERVICE_UNAVAILABLE",
      message: "The database connection was interrupted and nothing was saved for this step. Try again.",
      cause: error,
    });
  }
  switch (sqlStateOf(error)) {
    case SqlState.lockNotAvailable:
      return new TRPCError({
        code: "TOO_MANY_REQUESTS",
        message: "This project is busy with another change. Try again in a moment.",
        cause: error,
      });
    case SqlState.queryCanceled:
      // statement_timeout (every connection has one): the statement, or its transaction, did nothing.
      return new TRPCError({
        code: "SERVICE_UNAVAILABLE",
        message: "The database took too long to answer and nothing was saved for this step. Try again.",
        cause: error,
      });
    case SqlState.serializationFailure:
    case SqlState.deadlockDetected:
      return new TRPCError({
        code: "CONFLICT",
        message: "The project changed while saving. Try again.",
        cause: error,
      });
    case SqlState.uniqueViolation:
      // The unique constraints are backstops: reaching one means a lock is missing somewhere.
      console.error("[db] unique backstop hit — a write escaped its lock", error);
      return new TRPCError({
        code: "CONFLICT",
        message: "A conflicting change was saved at the same time. Refresh and try again.",
        cause: error,
      });
    default:
      return undefined;
  }
}

const CONFLICT_CURRENT = Symbol.for("race-safe.conflict-current");

/**
 * CONFLICT for an optimistic-locking miss, carrying the row as it is now; the error
 * formatter puts it in `error.data.conflict` so the client can show what changed.
 */
export function versionConflict(message: string, current: unknown): TRPCError {
  return new TRPCError({ code: "CONFLICT", message, cause: Object.assign(new Error(message), { [CONFLICT_CURRENT]: current }) });
}

export function conflictCurrentOf(error: TRPCError): unknown {
  const cause = error.cause as { [CONFLICT_CURRENT]?: unknown } | undefined;
  return cause?.[CONFLICT_CURRENT] ?? null;
}
