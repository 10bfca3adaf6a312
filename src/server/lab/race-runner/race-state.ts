/**
 * The project a forced or replayed race left behind, as the lab shows it ("the database
 * after"), judged by the app's invariants (src/lib/invariants.ts, loaded with
 * src/server/db/invariants.ts): which replies lost their scene, and to which request.
 * Shared by the forced races (./welcome-reset.ts) and anything else that draws a run.
 */
import type { InvariantReport } from "~/lib/invariants";
import type { Database } from "~/server/db";
import { checkStoredInvariants } from "~/server/db/invariants";
import type { RaceState } from "./types";

export type RaceLaneName = "A" | "B";

export interface RaceAfter {
  state: RaceState;
  report: InvariantReport;
  /** The request whose reply each lost-scene violation is about (null: neither's prompt). */
  lostLanes: (RaceLaneName | null)[];
  /** Every other broken invariant, in plain words (a lost scene's short scene count is the same loss, left out). */
  otherViolations: string[];
}

/** Reads `projectId` back; `prompts` tells whose message is whose. */
export async function readRaceState(
  db: Database,
  projectId: string,
  prompts: Readonly<Record<RaceLaneName, string>>,
): Promise<RaceAfter> {
  const { rows, report } = await checkStoredInvariants(db, { projectId });
  const [project] = rows.projects;
  const thread = rows.messages;
  const laneOfPrompt = (content: string): RaceLaneName | null =>
    content === prompts.A ? "A" : content === prompts.B ? "B" : null;
  const laneOf = (message: (typeof thread)[number]) => {
    const user = message.role === "user" ? message : thread.find((other) => other.id === message.replyToId);
    return user ? laneOfPrompt(user.content) : null;
  };
  const lost = report.violations.filter((violation) => violation.kind === "lost-scene");
  const lostMessageIds = new Set(lost.map((violation) => violation.messageId));
  return {
    report,
    lostLanes: lost.map((violation) => {
      const message = thread.find((candidate) => candidate.id === violation.messageId);
      return message ? laneOf(message) : null;
    }),
    otherViolations: report.violations
      .filter((violation) => violation.kind !== "lost-scene" && !(violation.kind === "scene-count" && lost.length > 0))
      .map((violation) => violation.message),
    state: {
      projectId,
      title: project?.title ?? "",
      isWelcome: project?.isWelcome ?? false,
      scenes: rows.scenes.map(({ id, order, name, kind }) => ({ id, order, name, kind })),
      messages: thread.map((message) => ({
        sequence: message.sequence,
        role: message.role,
        status: message.status,
        content: message.content,
        sceneId: message.sceneId,
        sceneExists: !lostMessageIds.has(message.id),
        lane: laneOf(message),
      })),
    },
  };
}
