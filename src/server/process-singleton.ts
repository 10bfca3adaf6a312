/**
 * One value per process, whatever number of times the module asking for it is evaluated.
 *
 * Why: `next dev` re-evaluates a module when it (or what it imports) changes, and Next's
 * server bundles (instrumentation, route handlers, server components) each evaluate their
 * own copy of a module. A module-level `let registry = new Map()` is then several maps, and a
 * module-level pool is several pools. A value kept on `globalThis` under a `Symbol.for` key
 * (one registry of symbols per process, shared by every copy) is found by all of them.
 * This is the tool-registry pattern's mechanism: docs/patterns/tool-registry.md.
 */

/** A named place on `globalThis` holding at most one value for the whole process. */
export interface ProcessSlot<T> {
  get(): T | undefined;
  /** `undefined` empties the slot (a failed start that must be retried, a pool closed). */
  set(value: T | undefined): void;
  /** The value, created by `create` on first use; every later caller, from any module copy, gets that one. */
  getOrCreate(create: () => T): T;
}

/** `name` is the key: two calls with the same name, from any copy of any module, share the slot. */
export function processSlot<T>(name: string): ProcessSlot<T> {
  const key = Symbol.for(name);
  const store = globalThis as { [key: symbol]: T | undefined };
  return {
    get: () => store[key],
    set: (value) => {
      store[key] = value;
    },
    getOrCreate: (create) => (store[key] ??= create()),
  };
}

/** The value named `name`, created once per process by `create`. */
export function processSingleton<T>(name: string, create: () => T): T {
  return processSlot<T>(name).getOrCreate(create);
}
