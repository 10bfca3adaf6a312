/**
 * Services throw domain errors, never tRPC's (issue 15): the API layer's one map
 * (src/server/api/errors.ts) turns each kind into its tRPC code, through a procedure built on
 * the app's own `t`, and a version conflict carries the current row to `error.data.conflict`.
 * The brand makes a domain error from another copy of the module (another of Next's server
 * bundles) count as one too.
 */
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { describe, expect, it, vi } from "vitest";

import { toTRPCError } from "~/server/api/errors";
import { createTRPCRouter, publicProcedure, type TRPCContext } from "~/server/api/trpc";
import { DomainError, notFound } from "~/server/services/errors";

const router = createTRPCRouter({
  missing: publicProcedure.query(() => {
    throw notFound("Project");
  }),
  reused: publicProcedure.mutation(() => {
    throw new DomainError("request-id-reused", "That requestId was used for another prompt.");
  }),
  stale: publicProcedure.mutation(() => {
    throw new DomainError("version-conflict", "Changed since version 1.", { version: 2 });
  }),
});

async function call(procedure: string, method: "GET" | "POST") {
  const response = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req: new Request(`http://localhost/api/trpc/${procedure}`, {
      method,
      ...(method === "POST" ? { headers: { "content-type": "application/json" }, body: "{}" } : {}),
    }),
    router,
    createContext: () => ({ db: null as unknown as TRPCContext["db"], userId: null, headers: new Headers() }),
  });
  const body = (await response.json()) as { error: { json: { message: string; data: { code: string; conflict: unknown } } } };
  return { status: response.status, ...body.error.json };
}

describe("domain errors", () => {
  it("each kind answers its own tRPC code and message through the app's procedures", async () => {
    expect(await call("missing", "GET")).toMatchObject({ status: 404, message: "Project not found", data: { code: "NOT_FOUND" } });
    expect(await call("reused", "POST")).toMatchObject({ status: 422, data: { code: "UNPROCESSABLE_CONTENT" } });
    expect(await call("stale", "POST")).toMatchObject({ status: 409, data: { code: "CONFLICT", conflict: { version: 2 } } });
  });

  it("a domain error from another copy of the module is recognised by its brand", async () => {
    vi.resetModules();
    const copy = await import("~/server/services/errors");
    const fromCopy = copy.notFound("Scene");
    expect(copy.DomainError).not.toBe(DomainError);
    expect(DomainError.is(fromCopy)).toBe(true);
    expect(toTRPCError(fromCopy)?.code).toBe("NOT_FOUND");
    expect(DomainError.is(new Error("Scene not found"))).toBe(false);
  });
});
