// `delete` and `update` on things that are not a database handle.
import { createHash } from "node:crypto";

const pending = new Map<string, AbortController>();

export function cancel(requestId: string) {
  pending.get(requestId)?.abort();
  pending.delete(requestId);
  const cache = new Map<string, string>();
  cache.delete(requestId);
  return createHash("sha256").update(requestId).digest("hex");
}
