/**
 * Race Lab only (NOT_FOUND unless the lab is enabled: `next dev`, or RACE_LAB=1): a
 * read-only look at the process's tool registry from inside a route bundle, for the
 * hot-reload test (tests/integration/hot-reload.test.ts). It registers nothing.
 *
 * - `registry`: entries per tool in the registry this bundle's `getToolRegistry()` finds;
 * - `initialized`: the same for the registry `initializeTools()` resolves to (what the
 *   orchestrator reads), and `sameRegistry` when the two are one object;
 * - `registeredDescriptions` / `bundleDescriptions`: each tool's description as
 *   registered (at start-up, by the instrumentation bundle) and as this bundle's own,
 *   possibly hot-reloaded, copy of the tool modules has it. An edit to a tool shows in
 *   the second and, with the registry working, never in the first.
 * See docs/patterns/tool-registry.md.
 */
import { isRaceLabEnabled } from "~/env";
import { initializeTools } from "~/server/services/brain/init";
import { sceneTools } from "~/server/services/brain/tools";
import { getToolRegistry, type ToolRegistry } from "~/server/services/brain/tools/registry";

export const dynamic = "force-dynamic";

export async function GET() {
  if (!isRaceLabEnabled) return Response.json({ error: "The Race Lab is not enabled" }, { status: 404 });

  const initialized = await initializeTools();
  const registry = getToolRegistry();
  const names = sceneTools.map((tool) => tool.name);
  const countPerTool = (target: ToolRegistry) =>
    Object.fromEntries(names.map((name) => [name, target.list().filter((tool) => tool.name === name).length]));
  const descriptions = (tools: readonly { name: string; description: string }[]) =>
    Object.fromEntries(tools.map((tool) => [tool.name, tool.description]));

  return Response.json({
    pid: process.pid,
    registry: countPerTool(registry),
    initialized: countPerTool(initialized),
    sameRegistry: registry === initialized,
    registeredDescriptions: descriptions(initialized.list()),
    bundleDescriptions: descriptions(sceneTools),
  });
}
