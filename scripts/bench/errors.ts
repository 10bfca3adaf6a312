/** Failed calls of a load, counted by HTTP status and tRPC code, for the "errors" columns. */
import type { CallResult } from "../lib/trpc-http";

export class Errors {
  readonly counts = new Map<string, number>();
  total = 0;

  add(result: CallResult<unknown>) {
    if (result.ok) return;
    this.total++;
    const key = `${result.status} ${result.code ?? ""}`.trim();
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  merge(other: Errors) {
    for (const [key, n] of other.counts) this.counts.set(key, (this.counts.get(key) ?? 0) + n);
    this.total += other.total;
    return this;
  }

  toString() {
    return this.total === 0 ? "0" : [...this.counts].map(([key, n]) => `${n} × ${key}`).join(", ");
  }

  /** All of `results`' errors in one. */
  static of(results: readonly { errors: Errors }[]) {
    return results.reduce((errors, result) => errors.merge(result.errors), new Errors());
  }
}
