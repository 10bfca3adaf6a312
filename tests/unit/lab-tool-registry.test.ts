/**
 * The Race Lab's naive tool registration (src/server/lab/naive-orchestrator.ts: the
 * orchestrator registers its tools in its constructor) under the abuse the app's registry
 * survives with one registration per tool (tool-registry.test.ts): 100 constructions, a
 * fresh copy of the modules (what hot reload does), then 10 concurrent constructions.
 */
import { describe, expect, it, vi } from "vitest";

const toolNames = ["deleteScene", "editScene", "addScene"];

describe("naive tool registration", () => {
  it("the constructor registers every tool again on every construction", async () => {
    const { AppendingToolRegistry, NaiveOrchestrator } = await import("~/server/lab/naive-orchestrator");
    const registry = new AppendingToolRegistry();
    for (let i = 0; i < 100; i++) new NaiveOrchestrator(registry);
    vi.resetModules();
    const reloaded = await import("~/server/lab/naive-orchestrator");
    await Promise.all(Array.from({ length: 10 }, async () => new reloaded.NaiveOrchestrator(registry)));
    const counts = Object.fromEntries(toolNames.map((name) => [name, registry.count(name)]));

    console.log("[registry] naive registrations per tool:", counts);
    expect(counts).toEqual({ deleteScene: 110, editScene: 110, addScene: 110 });
  });
});
