import { getDb } from "~/server/db";
import { checkStoredInvariants } from "~/server/db/invariants";

/**
 * One project's rows checked with the app's invariants (src/lib/invariants.ts, loaded by
 * src/server/db/invariants.ts), summed up in the shape the integration tests assert on.
 * `violations` are the plain-words messages of every broken invariant.
 */
export async function inspectProject(projectId: string) {
  const { rows, report } = await checkStoredInvariants(getDb(), { projectId });
  const { byKind, counts } = report;
  return {
    isWelcome: rows.projects[0]?.isWelcome,
    welcomeScenes: counts.welcomeScenes,
    generatedScenes: counts.generatedScenes,
    /** Messages pointing at a scene that no longer exists: data loss. */
    lostScenes: byKind["lost-scene"],
    ordersUnique: byKind["duplicate-order"] === 0,
    sequencesUnique: byKind["duplicate-sequence"] === 0,
    stuckMessages: counts.unsettledMessages,
    messages: rows.messages.length,
    violations: report.violations.map((violation) => violation.message),
  };
}
