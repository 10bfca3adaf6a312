import { describe, expect, it, vi } from "vitest";

import type { SceneTool } from "~/server/services/brain/tools/types";

const toolNames = ["deleteScene", "editScene", "addScene"];

/**
 * 100 orchestrator constructions, a fresh copy of the modules (what hot reload does), then
 * 10 concurrent initializations. Returns how many times each tool ended up registered. The
 * Race Lab's naive design under the same abuse registers each tool 110 times
 * (lab-tool-registry.test.ts).
 */
async function hammer(): Promise<Record<string, number>> {
  const { Orchestrator } = await import("~/server/services/brain/orchestrator");
  const { getToolRegistry } = await import("~/server/services/brain/tools/registry");
  for (let i = 0; i < 100; i++) await new Orchestrator().decide("a scene", storyboard());
  vi.resetModules();
  const reloaded = await import("~/server/services/brain/init");
  await Promise.all(Array.from({ length: 10 }, () => reloaded.initializeTools()));
  const tools = getToolRegistry().list();
  return Object.fromEntries(toolNames.map((name) => [name, tools.filter((tool) => tool.name === name).length]));
}

function storyboard() {
  const now = new Date();
  return {
    project: { id: "p", ownerId: "u", title: "t", isWelcome: true, requestId: null, nextMessageSequence: 0, createdAt: now, updatedAt: now },
    scenes: [],
  };
}

describe("tool registration", () => {
  it("fixed: one registration per tool, shared across a module reload", async () => {
    const { getToolRegistry } = await import("~/server/services/brain/tools/registry");
    const before = getToolRegistry();

    const counts = await hammer();

    console.log("[registry] fixed registrations per tool:", counts);
    expect(counts).toEqual({ deleteScene: 1, editScene: 1, addScene: 1 });
    const { getToolRegistry: reloadedGetter } = await import("~/server/services/brain/tools/registry");
    expect(reloadedGetter()).toBe(before);
  });

  it("concurrent first initializations share one promise", async () => {
    // A fresh process: no registry and no initialization yet.
    vi.resetModules();
    for (const name of ["race-safe.brain.tools-initialized", "race-safe.brain.tool-registry"]) {
      (globalThis as Record<symbol, unknown>)[Symbol.for(name)] = undefined;
    }
    const { initializeTools } = await import("~/server/services/brain/init");

    const calls = Array.from({ length: 20 }, () => initializeTools());

    expect(new Set(calls).size).toBe(1);
    await Promise.all(calls);
  });
});

describe("ToolRegistry", () => {
  const tool = (name: string): SceneTool => ({ name, description: name, plan: () => null });

  it("is idempotent for the same tool and refuses a different tool under a taken name", async () => {
    const { ToolRegistry } = await import("~/server/services/brain/tools/registry");
    const registry = new ToolRegistry();
    const first = tool("addScene");

    registry.register(first);
    registry.register(first);

    expect(registry.list()).toEqual([first]);
    expect(() => registry.register(tool("addScene"))).toThrow(/different tool is already registered as "addScene"/);
    expect(() => registry.get("renderVideo")).toThrow(/No tool named "renderVideo"/);
  });
});
