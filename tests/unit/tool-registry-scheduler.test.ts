/**
 * The tool registry's first initialization, explored with fast-check's scheduler
 * instead of by hand: several callers, each on one of several evaluated copies of the
 * modules (what hot reload and Next's separate server bundles produce), race through
 * `initializeTools()`, and `fc.scheduler()` decides the order in which every awaited
 * step resolves — when each caller gets its module copy, when each caller resumes after
 * its call settles, when a caller retries. Optionally one registration fails: the first
 * (nothing registered yet) or a later one (part-way: initialization must take back what it
 * registered, or a retry from another module copy, with other tool objects, fails for
 * good), and callers that see the failure retry.
 *
 * The fixed initializer has no await of its own (the single-flight `??=` runs before its
 * first await), so what varies for it is the callers' interleaving; the broken
 * "no single flight" variant below has one more awaited step, also scheduled.
 *
 * Property: every tool is registered exactly once (`register` succeeds once per tool;
 * an idempotent repeat counts as a second registration); every caller gets the same registry,
 * the process's; the registry holds one consistent set of tools; a failed
 * initialization is retried successfully; a later call registers nothing.
 *
 * Teeth: the same property, on two broken initializers written below, must fail, and
 * fast-check's (shrunk) counterexample is printed:
 * - no single flight: a module-level flag set after an await (docs/patterns/tool-registry.md,
 *   "Async initialization needs single flight");
 * - the design note's fix: a module-level flag, no await, which each module copy has afresh.
 *
 * Isolation: the process state lives on `globalThis` under two `Symbol.for` keys. Their
 * values are saved before and restored after this file, and cleared before every run;
 * the module copies are this file's own (vi.resetModules before each import). Vitest
 * runs each test file in its own isolated context, so other files never see these runs.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import type * as initModule from "~/server/services/brain/init";
import type * as toolsModule from "~/server/services/brain/tools";
import type * as registryModule from "~/server/services/brain/tools/registry";
import type { ToolRegistry } from "~/server/services/brain/tools/registry";
import type { SceneTool } from "~/server/services/brain/tools/types";

type InitModule = typeof initModule;
type RegistryModule = typeof registryModule;
type ToolsModule = typeof toolsModule;

/** One evaluation of the modules, as a hot reload or another server bundle has it. */
interface ModuleCopy {
  index: number;
  init: InitModule;
  registry: RegistryModule;
  tools: ToolsModule;
}

/** An awaited step the scheduler releases when it chooses. */
type Step = (label: string) => Promise<void>;

/** A design under test: what `initializeTools` is in one module copy, evaluated afresh per run. */
interface Design {
  name: string;
  load: (copy: ModuleCopy, step: Step) => () => Promise<ToolRegistry>;
}

const COPIES = 3;
const MAX_ATTEMPTS = 3;
const PROCESS_KEYS = [Symbol.for("race-safe.brain.tools-initialized"), Symbol.for("race-safe.brain.tool-registry")];
const processGlobal = globalThis as Record<symbol, unknown>;

/** What happened in the current run, recorded by the instrumented `ToolRegistry.register`. */
const run = {
  /** Which registration attempt of the run throws (0: the first), if any. */
  failAt: undefined as number | undefined,
  attempts: 0,
  injectedFailures: 0,
  registrations: [] as { name: string; tool: SceneTool; copy: number }[],
};

const copies: ModuleCopy[] = [];
const saved = new Map<symbol, unknown>();
const restorers: (() => void)[] = [];

beforeAll(async () => {
  for (const key of PROCESS_KEYS) saved.set(key, processGlobal[key]);
  for (let index = 0; index < COPIES; index++) {
    vi.resetModules();
    const copy: ModuleCopy = {
      index,
      init: await import("~/server/services/brain/init"),
      registry: await import("~/server/services/brain/tools/registry"),
      tools: await import("~/server/services/brain/tools"),
    };
    instrument(copy);
    copies.push(copy);
  }
});

afterAll(() => {
  for (const restore of restorers) restore();
  for (const [key, value] of saved) processGlobal[key] = value;
});

/** Counts successful registrations and can fail the next one (before anything is stored). */
function instrument(copy: ModuleCopy) {
  const prototype = copy.registry.ToolRegistry.prototype;
  const original = Object.getOwnPropertyDescriptor(prototype, "register");
  const register = prototype.register;
  prototype.register = function (this: ToolRegistry, tool: SceneTool) {
    if (run.attempts++ === run.failAt) {
      run.injectedFailures++;
      throw new Error(`injected: registration attempt ${run.failAt} failed`);
    }
    const added = register.call(this, tool);
    if (added) run.registrations.push({ name: tool.name, tool, copy: copy.index });
    return added;
  };
  const originalUnregister = Object.getOwnPropertyDescriptor(prototype, "unregister");
  const unregister = prototype.unregister;
  prototype.unregister = function (this: ToolRegistry, tool: SceneTool) {
    unregister.call(this, tool);
    // A registration taken back does not count: "registered once" is what stays.
    const index = run.registrations.findIndex((entry) => entry.tool === tool);
    if (index >= 0) run.registrations.splice(index, 1);
  };
  restorers.push(() => {
    if (original) Object.defineProperty(prototype, "register", original);
    if (originalUnregister) Object.defineProperty(prototype, "unregister", originalUnregister);
  });
}

/** A fresh process: no registry, no initialization, nothing recorded. */
function resetProcess(failAt: number | undefined) {
  for (const key of PROCESS_KEYS) processGlobal[key] = undefined;
  run.failAt = failAt;
  run.attempts = 0;
  run.injectedFailures = 0;
  run.registrations = [];
}

const fixed: Design = {
  name: "fixed (globalThis registry + single-flight promise)",
  load: (copy) => copy.init.initializeTools,
};

/** ❌ Broken on purpose: the flag is set after an await, so callers during the await all initialize. */
const noSingleFlight: Design = {
  name: "broken: module-level flag set after an await (no single flight)",
  load: (copy, step) => {
    let initialized = false; // module-level: one per evaluation of the module
    return async () => {
      const registry = copy.registry.getToolRegistry();
      if (initialized) return registry;
      await step(`copy ${copy.index}: naive initializer awaits (e.g. loading the tools)`);
      for (const tool of copy.tools.sceneTools) registry.register(tool);
      initialized = true;
      return registry;
    };
  },
};

/** ❌ Broken on purpose: the design note's module-level flag; every module copy starts at false. */
const moduleLevelFlag: Design = {
  name: "broken: module-level flag (the design note's fix), no await",
  load: (copy) => {
    let toolsInitialized = false;
    return async () => {
      const registry = copy.registry.getToolRegistry();
      if (!toolsInitialized) {
        for (const tool of copy.tools.sceneTools) registry.register(tool);
        toolsInitialized = true;
      }
      return registry;
    };
  },
};

const scenario = fc.record({
  /** Which module copy each caller uses (a caller is a request, a bundle, a reload). */
  callerCopies: fc.array(fc.nat({ max: COPIES - 1 }), { minLength: 2, maxLength: 6 }),
  /** The registration attempt that fails, if any: the first (nothing registered yet) or a later one (part-way). */
  failingRegistration: fc.option(fc.nat({ max: 2 }), { nil: undefined }),
});

const stats = { runs: 0, withFailure: 0, withSeveralCopies: 0, maxCallers: 0 };

function registryProperty(design: Design) {
  return fc.asyncProperty(fc.scheduler(), scenario, async (s, { callerCopies, failingRegistration }) => {
    const registrationFails = failingRegistration !== undefined;
    resetProcess(failingRegistration);
    const step: Step = (label) => s.schedule(Promise.resolve(), label);
    const initializers = copies.map((copy) => design.load(copy, step));
    const names = copies[0]?.tools.sceneTools.map((tool) => tool.name) ?? [];
    let rejections = 0;
    let settledCallers = 0;

    const callers = callerCopies.map(async (copyIndex, caller) => {
      try {
        await step(`caller ${caller} gets module copy ${copyIndex}`);
        const initialize = initializers[copyIndex];
        if (!initialize) throw new Error(`no module copy ${copyIndex}`);
        for (let attempt = 1; ; attempt++) {
          const outcome = await initialize().then(
            (registry) => ({ ok: true as const, registry }),
            (error: unknown) => ({ ok: false as const, error }),
          );
          await step(`caller ${caller}: attempt ${attempt} ${outcome.ok ? "resolved" : "rejected"}, resumes`);
          if (outcome.ok) return outcome.registry;
          rejections++;
          if (attempt === MAX_ATTEMPTS) throw outcome.error;
        }
      } finally {
        settledCallers++;
      }
    });
    const results = Promise.allSettled(callers);
    await s.waitIdle();
    expect(settledCallers, "the scheduler went idle with callers still waiting").toBe(callers.length);
    const outcomes = await results;

    const failures = outcomes.flatMap((outcome) => (outcome.status === "rejected" ? [String(outcome.reason)] : []));
    if (failures.length > 0) {
      throw new Error(`every caller ends with the registry, but ${failures.length} failed: ${failures[0]}`);
    }
    const registries = new Set(outcomes.map((outcome) => (outcome.status === "fulfilled" ? outcome.value : undefined)));
    expect(registries.size, "all callers get the same registry").toBe(1);
    const [registry] = registries;
    expect(registry, "…the process's registry").toBe(processGlobal[PROCESS_KEYS[1] as symbol]);

    const perTool = Object.fromEntries(names.map((name) => [name, run.registrations.filter((r) => r.name === name).length]));
    expect(perTool, "every tool registered exactly once").toEqual(Object.fromEntries(names.map((name) => [name, 1])));
    const listed = registry?.list() ?? [];
    expect(listed.map((tool) => tool.name).sort()).toEqual([...names].sort());
    const sources = new Set(run.registrations.map((r) => r.copy));
    expect(sources.size, "one consistent set of tools, from one module copy").toBe(1);

    if (registrationFails) {
      expect(run.injectedFailures, "the injected failure happened").toBe(1);
      expect(rejections, "some caller saw the failed initialization, and retried").toBeGreaterThanOrEqual(1);
    }

    // A later request, on each module copy in play, finds the work done.
    const before = run.registrations.length;
    for (const copyIndex of new Set(callerCopies)) {
      const later = initializers[copyIndex]?.();
      await s.waitIdle();
      await expect(later, `a later call on module copy ${copyIndex} gets the same registry`).resolves.toBe(registry);
    }
    expect(run.registrations.length, "a later call registers nothing").toBe(before);

    stats.runs++;
    if (registrationFails) stats.withFailure++;
    if (new Set(callerCopies).size > 1) stats.withSeveralCopies++;
    stats.maxCallers = Math.max(stats.maxCallers, callerCopies.length);
  });
}

describe("tool registry: concurrent first initialization under fc.scheduler()", () => {
  it("the module copies are really separate evaluations", () => {
    const [a, b] = copies;
    expect(a?.tools.sceneTools).not.toBe(b?.tools.sceneTools);
    expect(a?.tools.sceneTools[0]).not.toBe(b?.tools.sceneTools[0]);
    expect(a?.registry.ToolRegistry).not.toBe(b?.registry.ToolRegistry);
    expect(a?.init.initializeTools).not.toBe(b?.init.initializeTools);
  });

  it("fixed: every tool once, one registry for all callers, a failed initialization retried", async () => {
    Object.assign(stats, { runs: 0, withFailure: 0, withSeveralCopies: 0, maxCallers: 0 });

    await fc.assert(registryProperty(fixed), { numRuns: 300 });

    console.log(
      `[scheduler] ${fixed.name}: ${stats.runs} schedules passed (${stats.withFailure} with a registration that failed, first or part-way, ` +
        `and was retried, ${stats.withSeveralCopies} mixing module copies, up to ${stats.maxCallers} callers)`,
    );
  });

  it.each([noSingleFlight, moduleLevelFlag])("$name: the same property finds a counterexample", async (design) => {
    const details = await fc.check(registryProperty(design), { numRuns: 300 });

    expect(details.failed).toBe(true);
    const [scheduler, caught] = details.counterexample ?? [];
    console.log(
      `[scheduler] ${design.name}: counterexample after ${details.numRuns} runs (${details.numShrinks} shrinks)\n` +
        `  scenario: ${JSON.stringify(caught)}\n` +
        `  schedule: ${String(scheduler)}\n` +
        `  failure: ${firstLine(details.errorInstance)}`,
    );
  });
});

function firstLine(error: unknown) {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0];
}
