/**
 * What can go wrong in the domain, said without a transport: services throw these, and the
 * API layer (~/server/api/errors.ts) is the one place that turns them, and database
 * failures, into tRPC codes. So the services copy into a codebase that has no tRPC.
 * Recognised with `DomainError.is`, not `instanceof`: Next's server bundles may each hold
 * their own copy of this module (see docs/patterns/tool-registry.md).
 */
const BRAND = Symbol.for("race-safe.domain-error");

export type DomainErrorKind =
  /** The thing does not exist, or is not this user's (the two are not told apart). */
  | "not-found"
  /** A requestId sent again with a different request: the client reused one. */
  | "request-id-reused"
  /** An optimistic-locking miss: the row changed since the version the caller read. */
  | "version-conflict";

export class DomainError extends Error {
  readonly [BRAND] = true;
  override name = "DomainError";

  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    /** For a version conflict: the row as it is now, so the caller can show what changed. */
    readonly current?: unknown,
  ) {
    super(message);
  }

  static is(error: unknown): error is DomainError {
    return typeof error === "object" && error !== null && (error as { [BRAND]?: unknown })[BRAND] === true;
  }
}

export const notFound = (what: string) => new DomainError("not-found", `${what} not found`);
