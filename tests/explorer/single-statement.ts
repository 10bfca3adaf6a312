/**
 * The single-statement apply (src/server/lab/welcome-reset/single-statement.ts) under the
 * interleaving explorer, in the cases where one statement can meet a stale snapshot: a
 * request that holds the project lock across statements (the app's locked apply) while
 * single statements start and queue behind it. Between two single statements alone there
 * is nothing to interleave (each is one step); the lab's exploration covers that too.
 *
 * Also the broken variant, here and nowhere else: the same writes as separate statements
 * sent without BEGIN/COMMIT (`applyAsBatch`), which the welcome race alone does not expose
 * and a reply that is expired meanwhile does. See docs/patterns/single-statement.md.
 */
import { randomUUID } from "node:crypto";

import { sql } from "drizzle-orm";
import type { ExploreOptions, RequestOutcome } from "race-kit";

import type { Database } from "~/server/db";
import { checkStoredInvariants } from "~/server/db/invariants";
import { queryRows } from "~/server/db/tx";
import { connectLane, projectViolations } from "~/server/lab/explore/welcome-reset";
import { welcomeResetStrategies } from "~/server/lab/welcome-reset";
import { applyInOneStatement } from "~/server/lab/welcome-reset/single-statement";
import type { LabApplyRequest } from "~/server/lab/welcome-reset/types";
import { generateSceneProps } from "~/server/services/brain/model";
import { planAddScene } from "~/server/services/brain/tools/add-scene";
import { applyGeneration } from "~/server/services/generation/apply";
import { claimExchange } from "~/server/services/generation/claim";
import { failExchange, markBuilding, ReplyNotOpenError } from "~/server/services/generation/exchange";
import { INTERRUPTED_REPLY } from "~/server/services/generation/recovery";
import { createWelcomeProject, requireOwnedProject } from "~/server/services/projects";
import type { CaseEnvironment } from "./cases";

const PROMPTS: Record<string, string> = { A: "Red intro", B: "Blue outro", C: "Green middle" };

interface Context {
  userId: string;
  projectId: string;
  replies: Record<string, string>;
}

type Apply = (request: LabApplyRequest) => Promise<unknown>;

/**
 * ❌ BROKEN ON PURPOSE. The single statement's parts as separate statements, pipelined on
 * one connection without BEGIN/COMMIT (one round trip; each statement commits on its own,
 * as separate HTTP calls would). A batch cannot feed one statement's answer to the next,
 * so the delete cannot be "only if this request cleared the flag", and nothing can undo
 * the first writes when the last one finds the reply no longer open.
 */
export async function applyAsBatch({ db, projectId, assistantMessageId, props }: LabApplyRequest) {
  const sceneId = randomUUID();
  const results = await Promise.allSettled([
    queryRows(db, sql`update projects set is_welcome = false, updated_at = now() where id = ${projectId}::uuid and is_welcome`),
    queryRows(db, sql`delete from scenes where project_id = ${projectId}::uuid and kind = 'welcome'`),
    queryRows(db, sql`
      insert into scenes (id, project_id, kind, "order", name, props)
      select ${sceneId}::uuid, ${projectId}::uuid, 'generated'::scene_kind, coalesce(max("order"), -1) + 1,
             ${props.title}, ${JSON.stringify(props)}::jsonb
      from scenes where project_id = ${projectId}::uuid`),
    queryRows(db, sql`
      update messages set status = 'success', content = ${`Added a scene: “${props.title}”.`}, scene_id = ${sceneId}::uuid,
             error = null, updated_at = now()
      where id = ${assistantMessageId}::uuid and status in ('pending', 'building')
      returning id`),
  ]);
  const failed = results.find((result) => result.status === "rejected");
  if (failed) throw failed.reason;
  const completed = results[3];
  if (completed?.status === "fulfilled" && completed.value.length === 0) {
    throw new ReplyNotOpenError(assistantMessageId, undefined, undefined);
  }
}

const applies = {
  locked: welcomeResetStrategies.locked,
  "single-statement": welcomeResetStrategies["single-statement"],
  /** The statement without its retry: what a stale snapshot's order does on its own. */
  "single-statement without retry": (request) => applyInOneStatement(request.db, request, { maxAttempts: 1 }),
  batch: applyAsBatch,
} satisfies Record<string, Apply>;
export type ApplyVariant = keyof typeof applies;

/** A new welcome project; `appending`: its first generation done already (no reset left). Then a claimed reply per lane. */
async function setupProject(db: Database, lanes: string[], appending: boolean): Promise<Context> {
  const userId = randomUUID();
  const project = await createWelcomeProject(db, userId, "Explorer · single statement");
  const claim = (prompt: string) => claimExchange(db, { userId, projectId: project.id, prompt, requestId: randomUUID() });
  if (appending) {
    const first = await claim("First scene");
    await applyGeneration(db, { userId, projectId: project.id, assistantMessageId: first.assistantMessage.id, plan: planAddScene(generateSceneProps("First scene")) });
  }
  const replies: Record<string, string> = {};
  for (const lane of lanes) {
    const { assistantMessage } = await claim(PROMPTS[lane] ?? lane);
    await markBuilding(db, assistantMessage.id);
    replies[lane] = assistantMessage.id;
  }
  return { userId, projectId: project.id, replies };
}

function laneRequest(variant: ApplyVariant, lane: string) {
  return async (laneDb: Database, { userId, projectId, replies }: Context) => {
    const projectAtStart = await requireOwnedProject(laneDb, userId, projectId);
    const props = generateSceneProps(PROMPTS[lane] ?? lane);
    return applies[variant]({ db: laneDb, userId, projectId, assistantMessageId: replies[lane] ?? "", props, projectAtStart });
  };
}

/**
 * Concurrent generations on one project, each lane's apply step one of `variants` (the
 * claims are done in the setup, as in the lab's exploration). Every request must succeed
 * and the app's invariants hold.
 */
export function mixedApplies(
  { db, databaseUrl }: CaseEnvironment,
  variants: Record<string, ApplyVariant>,
  { appending = false } = {},
): ExploreOptions<Database, Context> {
  const lanes = Object.keys(variants);
  const described = lanes.map((lane) => variants[lane]).join(" ∥ ");
  return {
    name: `single statement · ${described}${appending ? " · appending" : ""}`,
    databaseUrl,
    connect: connectLane,
    setup: () => setupProject(db, lanes, appending),
    requests: Object.fromEntries(lanes.map((lane) => [lane, laneRequest(variants[lane] ?? "locked", lane)])),
    check: async ({ projectId }, { final, outcomes }) => {
      const violations = await projectViolations(db, projectId, { final, outcomes: {} });
      for (const [lane, outcome] of Object.entries(outcomes)) if (!outcome.ok) violations.push(`request ${lane} failed: ${failure(outcome)}`);
      return violations;
    },
  };
}

/** A failed request in one line: its SQLSTATE and the server's message (Drizzle's own message is the whole query). */
function failure({ error, sqlState, message }: RequestOutcome) {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined;
  return `${sqlState ? `SQLSTATE ${sqlState}, ` : ""}${cause ?? message ?? "unknown error"}`;
}

/**
 * One apply step against the reply being marked failed meanwhile (what the lease expiry
 * does to a run that stalled, and what a retry's new attempt does to a late original).
 * The apply may lose that race — ReplyNotOpenError — but then it must have written
 * nothing: the project is still a welcome project with its welcome scene and no other.
 */
export function applyVersusExpiry({ db, databaseUrl }: CaseEnvironment, variant: ApplyVariant): ExploreOptions<Database, Context> {
  return {
    name: `single statement · ${variant} ∥ reply expired`,
    databaseUrl,
    connect: connectLane,
    setup: () => setupProject(db, ["A"], false),
    requests: {
      A: laneRequest(variant, "A"),
      B: async (laneDb, { replies }) => failExchange(laneDb, replies.A ?? "", INTERRUPTED_REPLY),
    },
    check: async ({ projectId }, { final, outcomes }) => {
      const { rows, report } = await checkStoredInvariants(db, { projectId, settled: final });
      const violations = report.violations.map((violation) => violation.message);
      if (!final) return violations;
      const apply = outcomes.A;
      if (outcomes.B && !outcomes.B.ok) violations.push(`marking the reply failed failed: ${outcomes.B.message ?? "?"}`);
      if (apply && !apply.ok) {
        if (!/is not open for this run to complete/.test(apply.message ?? "")) violations.push(`the apply failed: ${apply.message ?? "?"}`);
        const generated = rows.scenes.filter((scene) => scene.kind === "generated").length;
        const welcome = rows.scenes.filter((scene) => scene.kind === "welcome").length;
        if (rows.projects[0]?.isWelcome !== true || welcome !== 1 || generated !== 0) {
          violations.push(
            `the apply found its reply expired but left writes behind: isWelcome ${String(rows.projects[0]?.isWelcome)}, ${welcome} welcome and ${generated} generated scene(s)`,
          );
        }
      }
      return violations;
    },
  };
}
