/**
 * The welcome reset as the interleaving explorer (race-kit) runs it for one Race Lab
 * strategy: a new welcome project whose two exchanges ("Red intro" as A, "Blue outro" as
 * B) are already claimed; each request reads the project, as a request does when it
 * starts, and runs the strategy's apply step on its own connection. The claim and the
 * model call are left out of the explored part because they send nothing the reset
 * decides from; `lock-across-model-call` runs whole, since its claim is its lock.
 * Used by the lab's "All interleavings" view, tests/integration/explorer and
 * `npm run explore`.
 */
import { randomUUID } from "node:crypto";

import { sql } from "drizzle-orm";

import type { ExploreOptions, LaneConnection } from "race-kit";

import type { WelcomeResetStrategy } from "~/lib/lab";
import { openDatabase, type Database } from "~/server/db";
import { checkStoredInvariants } from "~/server/db/invariants";
import { generateSceneProps } from "~/server/services/brain/model";
import { claimExchange } from "~/server/services/generation/claim";
import { markBuilding } from "~/server/services/generation/exchange";
import { createWelcomeProject, requireOwnedProject } from "~/server/services/projects";
import { generateHoldingLock } from "../lock-across-model-call";
import { welcomeResetStrategies } from "../welcome-reset";

export const EXPLORED_PROMPTS = { A: "Red intro", B: "Blue outro" } as const;
type LaneName = keyof typeof EXPLORED_PROMPTS;

export interface WelcomeResetContext {
  userId: string;
  projectId: string;
  replies: Record<LaneName, string>;
}

/** One connection through the lane's proxy, with the app's schema. */
export async function connectLane(url: string, lane: string): Promise<LaneConnection<Database>> {
  const { db, close } = openDatabase(url, { max: 1, applicationName: `race-kit-lane-${lane}` });
  await db.execute(sql`select 1`);
  return { db, close };
}

/** The app's invariants on the project, plus: every request must have succeeded. */
export async function projectViolations(
  db: Database,
  projectId: string,
  { final, outcomes }: { final: boolean; outcomes: Record<string, { ok: boolean; message?: string }> },
): Promise<string[]> {
  const { report } = await checkStoredInvariants(db, { projectId, settled: final });
  const failures = Object.entries(outcomes)
    .filter(([, outcome]) => !outcome.ok)
    .map(([lane, outcome]) => `request ${lane} failed: ${outcome.message ?? "unknown error"}`);
  return [...report.violations.map((violation) => violation.message), ...failures];
}

export function exploreWelcomeReset(
  strategy: WelcomeResetStrategy,
  { db, databaseUrl }: { db: Database; databaseUrl: string },
): ExploreOptions<Database, WelcomeResetContext> {
  const setup = async (): Promise<WelcomeResetContext> => {
    const userId = randomUUID();
    const project = await createWelcomeProject(db, userId, `Race Lab · all interleavings · ${strategy}`);
    const replies = {} as Record<LaneName, string>;
    if (strategy !== "lock-across-model-call") {
      for (const lane of ["A", "B"] as const) {
        const claim = await claimExchange(db, { userId, projectId: project.id, prompt: EXPLORED_PROMPTS[lane], requestId: randomUUID() });
        await markBuilding(db, claim.assistantMessage.id);
        replies[lane] = claim.assistantMessage.id;
      }
    }
    return { userId, projectId: project.id, replies };
  };

  const request = (lane: LaneName) => async (laneDb: Database, { userId, projectId, replies }: WelcomeResetContext) => {
    const prompt = EXPLORED_PROMPTS[lane];
    if (strategy === "lock-across-model-call") return generateHoldingLock(laneDb, { userId, projectId, prompt }, async () => undefined);
    const projectAtStart = await requireOwnedProject(laneDb, userId, projectId);
    return welcomeResetStrategies[strategy]({
      db: laneDb,
      userId,
      projectId,
      assistantMessageId: replies[lane],
      props: generateSceneProps(prompt),
      projectAtStart,
    });
  };

  return {
    name: `welcome reset · ${strategy}`,
    databaseUrl,
    connect: connectLane,
    setup,
    requests: { A: request("A"), B: request("B") },
    check: (context, input) => projectViolations(db, context.projectId, input),
  };
}
