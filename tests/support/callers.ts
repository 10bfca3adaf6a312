import { randomUUID } from "node:crypto";

import { TRPCError } from "@trpc/server";
import { expect } from "vitest";

import { createCaller } from "~/server/api/root";
import { getDb } from "~/server/db";

/** A tRPC caller acting as one anonymous user, as the route handler would build it. */
export function callerFor(userId: string | null = randomUUID()) {
  return createCaller({ db: getDb(), userId, headers: new Headers() });
}

export async function expectTRPCError(promise: Promise<unknown>, code: TRPCError["code"]) {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error, `expected a ${code} TRPCError`).toBeInstanceOf(TRPCError);
  expect((error as TRPCError).code).toBe(code);
  return error as TRPCError;
}
