/**
 * Issue 12, item 3: no SQL, parameters or stack in any client-visible error in production.
 * A procedure built on the app's own `t` (publicProcedure, createTRPCRouter: the app's
 * errorFormatter and middleware) throws what postgres.js throws for an unmapped database
 * error — a message with the SQL, the query and its parameters on the error — and the
 * answer goes through tRPC's real fetch adapter.
 *
 * Fails on the code before the fix: the formatter passed the message through verbatim
 * (the SQL reached the client) and, with tRPC's `isDev` fixed at start-up, the stack too.
 */
import { TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";

import { createTRPCRouter, publicProcedure, type TRPCContext } from "~/server/api/trpc";

const SQL = 'update "scenes" set "version" = $1 where "id" = $2 and "version" = $3';

/** Shaped like postgres.js's PostgresError for an int4 overflow. */
function postgresError() {
  return Object.assign(new Error(`Failed query: ${SQL}\nparams: 2147483649,abc,2147483648`), {
    name: "PostgresError",
    code: "22003",
    query: SQL,
    parameters: [2147483649, "abc", 2147483648],
  });
}

const router = createTRPCRouter({
  unmapped: publicProcedure.mutation(() => {
    throw postgresError();
  }),
  wrapped: publicProcedure.query(() => {
    throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: `select * from users -- ${SQL}`, cause: postgresError() });
  }),
  deliberate: publicProcedure.query(() => {
    throw new TRPCError({ code: "NOT_FOUND", message: "Project not found" });
  }),
  validated: publicProcedure.input(z.object({ n: z.number().int().max(10) })).query(({ input }) => input.n),
});

async function call(path: string, init?: RequestInit) {
  const logged: unknown[] = [];
  const response = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req: new Request(`http://localhost/api/trpc/${path}`, init),
    router,
    createContext: () => ({ db: null as unknown as TRPCContext["db"], userId: null, headers: new Headers() }),
    onError: ({ error }) => logged.push(error.cause ?? error),
  });
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) as { error: { json: Record<string, unknown> } }, logged };
}

const post = { method: "POST", headers: { "content-type": "application/json" }, body: "{}" };

describe("the error formatter in production (NODE_ENV=production)", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("replaces an unmapped error's message with a generic sentence: no SQL, no parameters, no stack, no cause", async () => {
    vi.stubEnv("NODE_ENV", "production");
    for (const [path, init] of [
      ["unmapped", post],
      ["wrapped", undefined],
    ] as const) {
      const { status, text, body, logged } = await call(path, init);
      expect(status, path).toBe(500);
      expect(body.error.json.message, path).toBe(
        "Something went wrong on our side. It has been logged; try again in a moment.",
      );
      expect((body.error.json.data as { code: string }).code).toBe("INTERNAL_SERVER_ERROR");
      for (const leak of ["select", "update", "params", "parameters", "scenes", "2147483648", "stack", "cause", "at "]) {
        expect(text.toLowerCase(), `${path}: "${leak}" in ${text}`).not.toContain(leak);
      }
      // The server log keeps the real error.
      expect(String((logged[0] as Error).message)).toContain(path === "wrapped" ? "Failed query" : SQL);
    }
  });

  it("keeps a deliberate error's message and the zod summary", async () => {
    vi.stubEnv("NODE_ENV", "production");
    const notFound = await call("deliberate");
    expect(notFound.status).toBe(404);
    expect(notFound.body.error.json.message).toBe("Project not found");
    expect(notFound.text).not.toContain("stack");

    const invalid = await call(`validated?input=${encodeURIComponent(JSON.stringify({ json: { n: 11 } }))}`);
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.json.message).toMatch(/^n: /);
    expect(invalid.text).not.toContain("stack");
  });

  it("keeps the real message in development", async () => {
    vi.stubEnv("NODE_ENV", "development");
    const { status, body } = await call("unmapped", post);
    expect(status).toBe(500);
    expect(body.error.json.message).toContain(SQL);
  });
});
