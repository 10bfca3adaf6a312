/**
 * The tool-registration race, as tests/unit/tool-registry.test.ts and lab-tool-registry.test.ts run it, against
 * registries made for this run only (the process's real registry is never touched):
 *
 * - naive: 100 `new NaiveOrchestrator(registry)` (one per request, as the original
 *   did), then 10 concurrent constructions (hot reload and the first requests racing).
 *   The constructor's guard is an instance field, so every construction registers again.
 * - fixed: the same 110 constructions of the app's `Orchestrator`, whose constructor
 *   registers nothing, and 110 runs of the initializer's registration into a fresh
 *   `ToolRegistry`, whose `register` is idempotent for the same tool.
 */
import { AppendingToolRegistry, NaiveOrchestrator } from "~/server/lab/naive-orchestrator";
import { Orchestrator } from "~/server/services/brain/orchestrator";
import { sceneTools } from "~/server/services/brain/tools";
import { ToolRegistry } from "~/server/services/brain/tools/registry";
import type { ToolRegistrationDesign, ToolRegistrationRun } from "./types";

const SEQUENTIAL = 100;
const CONCURRENT = 10;

export async function runToolRegistration(): Promise<ToolRegistrationRun> {
  const started = performance.now();
  const names = sceneTools.map((tool) => tool.name);

  const appending = new AppendingToolRegistry();
  for (let i = 0; i < SEQUENTIAL; i++) new NaiveOrchestrator(appending);
  await Promise.all(Array.from({ length: CONCURRENT }, async () => new NaiveOrchestrator(appending)));
  const naiveCounts = names.map((tool) => ({ tool, count: appending.count(tool) }));

  const registry = new ToolRegistry();
  const registerAll = async () => {
    for (const tool of sceneTools) registry.register(tool);
  };
  for (let i = 0; i < SEQUENTIAL; i++) {
    new Orchestrator();
    await registerAll();
  }
  await Promise.all(
    Array.from({ length: CONCURRENT }, async () => {
      new Orchestrator();
      await registerAll();
    }),
  );
  const fixedCounts = names.map((tool) => ({ tool, count: registry.list().filter((t) => t.name === tool).length }));
  let refusal = "";
  try {
    const [first] = sceneTools;
    if (first) registry.register({ ...first });
  } catch (error) {
    refusal = error instanceof Error ? error.message : String(error);
  }

  const total = SEQUENTIAL + CONCURRENT;
  const naiveMax = Math.max(...naiveCounts.map((entry) => entry.count));
  const fixedOk = fixedCounts.every((entry) => entry.count === 1);
  const designs: ToolRegistrationDesign[] = [
    {
      design: "naive",
      title: "Naive: registers in the constructor",
      steps: [
        `${SEQUENTIAL} × new NaiveOrchestrator(registry), one per request`,
        `${CONCURRENT} × new NaiveOrchestrator(registry) at once (hot reload, first requests racing)`,
      ],
      counts: naiveCounts,
      verdict: {
        ok: naiveMax <= 1,
        text:
          naiveMax > 1
            ? `Duplicate tools: each tool is registered ${naiveMax} times after ${total} constructions. The guard is a per-instance flag, so every construction registers again.`
            : "No duplicates.",
      },
    },
    {
      design: "fixed",
      title: "Fixed: one idempotent registry, filled by an initializer",
      steps: [
        `${total} × new Orchestrator() (its constructor registers nothing)`,
        `${total} × register every tool into a fresh ToolRegistry (${CONCURRENT} of them at once)`,
        refusal
          ? `a different tool under a taken name is refused: “${refusal}”`
          : "a different tool under a taken name was accepted (unexpected)",
      ],
      counts: fixedCounts,
      verdict: {
        ok: fixedOk && refusal !== "",
        text: fixedOk
          ? `No duplicates: one registration per tool after ${total} registrations of each.`
          : "Duplicate tools in the fixed registry (unexpected).",
      },
    },
  ];
  return { designs, durationMs: Math.round((performance.now() - started) * 10) / 10 };
}
