/**
 * A limit on how many procedure calls one HTTP request may batch (issue 12, item 9): one
 * 60 KB request used to carry 440 generations. tRPC 11's fetch adapter enforces it with
 * `maxBatchSize` (route.ts passes it): a larger batch, GET or POST, is answered one 400
 * BAD_REQUEST before the context is created or any input is parsed, so nothing runs.
 * The app's own client never sends more (src/trpc/react.tsx sets `maxItems` to the same
 * number).
 *
 * tRPC's message for it is "Batch call exceeds maximum size"; the error formatter
 * (src/server/api/trpc.ts) replaces it with one that says the limit, via `batchLimitMessage`.
 */
import type { TRPCError } from "@trpc/server";

import { MAX_BATCH_SIZE } from "~/lib/inputs";

export { MAX_BATCH_SIZE };

/** What @trpc/server 11.19 throws for a batch over `maxBatchSize` (resolveResponse, jsonContentTypeHandler). */
const TRPC_BATCH_TOO_LARGE = "Batch call exceeds maximum size";

/** The client-facing message for tRPC's batch-limit error, or undefined for any other error. */
export function batchLimitMessage(error: TRPCError): string | undefined {
  if (error.code !== "BAD_REQUEST" || error.message !== TRPC_BATCH_TOO_LARGE) return undefined;
  return `Too many calls in one request: a batch can hold at most ${MAX_BATCH_SIZE}. Send the rest in another request.`;
}
