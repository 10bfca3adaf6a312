/**
 * The one place that turns what went wrong into tRPC errors a client can act on: the
 * services' domain errors (~/server/services/errors.ts) and the database failures
 * (~/server/db/errors.ts, read from SQLSTATEs and connection errors). Anything else stays a
 * 500 and is logged: it is a bug, not input. See docs/patterns/welcome-reset.md ("Errors").
 */
import { TRPCError, type TRPC_ERROR_CODE_KEY } from "@trpc/server";

import { databaseFailureOf, type DatabaseFailureKind } from "~/server/db/errors";
import { DomainError, type DomainErrorKind } from "~/server/services/errors";

const domainCodes: Record<DomainErrorKind, TRPC_ERROR_CODE_KEY> = {
  "not-found": "NOT_FOUND",
  "request-id-reused": "UNPROCESSABLE_CONTENT",
  "version-conflict": "CONFLICT",
};

const databaseCodes: Record<DatabaseFailureKind, TRPC_ERROR_CODE_KEY> = {
  "connection-lost": "SERVICE_UNAVAILABLE",
  busy: "TOO_MANY_REQUESTS",
  "timed-out": "SERVICE_UNAVAILABLE",
  conflict: "CONFLICT",
  duplicate: "CONFLICT",
};

export function toTRPCError(error: unknown): TRPCError | undefined {
  if (DomainError.is(error)) return new TRPCError({ code: domainCodes[error.kind], message: error.message, cause: error });
  const failure = databaseFailureOf(error);
  if (!failure) return undefined;
  if (failure.kind === "duplicate") console.error("[db] unique backstop hit — a write escaped its lock", error);
  return new TRPCError({ code: databaseCodes[failure.kind], message: failure.message, cause: error });
}

/** For a CONFLICT from an optimistic-locking miss: the row as it is now (the error formatter sends it as `data.conflict`). */
export function conflictCurrentOf(error: TRPCError): unknown {
  const cause = error.cause;
  return DomainError.is(cause) && cause.kind === "version-conflict" ? (cause.current ?? null) : null;
}
