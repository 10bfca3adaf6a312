/**
 * The app's own code under the interleaving explorer (race-kit), one case a function:
 * each returns the explorer's options — a fresh starting state, the requests (the app's
 * services or tRPC procedures, unchanged, each on its own connection) and the invariants.
 * Vitest runs them in tests/integration/explorer/; `npm run explore` (scripts/explore.ts)
 * runs the larger ones and writes the table in docs/testing-races.md.
 */
import { randomUUID } from "node:crypto";

import { TRPCError } from "@trpc/server";
import type { ExploreOptions } from "race-kit";

import { createCaller } from "~/server/api/root";
import type { Database } from "~/server/db";
import { checkStoredInvariants } from "~/server/db/invariants";
import { connectLane, projectViolations } from "~/server/lab/explore/welcome-reset";
import { generateSceneProps } from "~/server/services/brain/model";
import { planAddScene } from "~/server/services/brain/tools/add-scene";
import { applyGeneration } from "~/server/services/generation/apply";
import { claimExchange } from "~/server/services/generation/claim";
import { generateScene } from "~/server/services/generation/generate-scene";
import { createWelcomeProject, readProjectWithScenes } from "~/server/services/projects";

export interface CaseEnvironment {
  db: Database;
  databaseUrl: string;
}

interface ProjectContext {
  userId: string;
  projectId: string;
}

const LANES = ["A", "B", "C"] as const;
const PROMPTS: Record<string, string> = { A: "Red intro", B: "Blue outro", C: "Green middle" };
const noModel = async () => undefined;

async function newWelcomeProject(db: Database, title: string): Promise<ProjectContext> {
  const userId = randomUUID();
  const project = await createWelcomeProject(db, userId, title);
  return { userId, projectId: project.id };
}

function perLane<T>(count: number, request: (lane: string) => T): Record<string, T> {
  return Object.fromEntries(LANES.slice(0, count).map((lane) => [lane, request(lane)]));
}

/**
 * Concurrent generations on a new project through the app's two transactions: the claim
 * and the apply (the model call in between sends nothing).
 */
export function claimThenApply({ db, databaseUrl }: CaseEnvironment, lanes = 2): ExploreOptions<Database, ProjectContext> {
  return {
    name: `app claim + apply × ${lanes}`,
    databaseUrl,
    connect: connectLane,
    setup: () => newWelcomeProject(db, "Explorer · claim + apply"),
    requests: perLane(lanes, (lane) => async (laneDb: Database, { userId, projectId }: ProjectContext) => {
      const prompt = PROMPTS[lane] as string;
      const claim = await claimExchange(laneDb, { userId, projectId, prompt, requestId: randomUUID() });
      const plan = planAddScene(generateSceneProps(prompt));
      return applyGeneration(laneDb, { userId, projectId, assistantMessageId: claim.assistantMessage.id, plan });
    }),
    check: (context, input) => projectViolations(db, context.projectId, input),
  };
}

/** The whole `generateScene` (claim, mark building, plan reads, apply), as the router calls it. */
export function fullGeneration({ db, databaseUrl }: CaseEnvironment, lanes = 2): ExploreOptions<Database, ProjectContext> {
  return {
    name: `app generateScene × ${lanes}`,
    databaseUrl,
    connect: connectLane,
    setup: () => newWelcomeProject(db, "Explorer · generateScene"),
    requests: perLane(lanes, (lane) => (laneDb: Database, context: ProjectContext) =>
      generateScene(laneDb, { ...context, prompt: PROMPTS[lane] as string, requestId: randomUUID() }, { modelCall: noModel }),
    ),
    check: (context, input) => projectViolations(db, context.projectId, input),
  };
}

interface RequestIdContext extends ProjectContext {
  requestId: string;
}

/**
 * A double-click: one requestId sent twice at once. One exchange, always. One answer is
 * the exchange (generated); the other is a replay of that same exchange — finished, or
 * `inFlight` while the first is still making it — never a second exchange nor an error.
 */
export function sameRequestIdTwice({ db, databaseUrl }: CaseEnvironment): ExploreOptions<Database, RequestIdContext> {
  const send = (laneDb: Database, { requestId, ...context }: RequestIdContext) =>
    generateScene(laneDb, { ...context, prompt: "Red intro", requestId }, { modelCall: noModel });
  return {
    name: "same requestId twice",
    databaseUrl,
    connect: connectLane,
    setup: async () => ({ ...(await newWelcomeProject(db, "Explorer · same requestId")), requestId: randomUUID() }),
    requests: { A: send, B: send },
    check: async (context, input) => {
      const violations = await projectViolations(db, context.projectId, input);
      if (!input.final) return violations;
      const { rows } = await checkStoredInvariants(db, { projectId: context.projectId, settled: true });
      const exchanges = rows.messages.filter((message) => message.role === "user").length;
      if (exchanges !== 1) violations.push(`${exchanges} exchanges for one requestId`);
      type Answer = { assistantMessage?: { id: string; status: string }; replayed?: boolean; inFlight?: boolean };
      const answers = Object.values(input.outcomes).map((outcome) => outcome.value as Answer | undefined);
      const ids = answers.map((answer) => answer?.assistantMessage?.id);
      if (new Set(ids).size !== 1) violations.push(`the two answers name different replies: ${ids.join(", ")}`);
      const generated = answers.filter((answer) => answer?.replayed === false);
      if (generated.length !== 1) violations.push(`${generated.length} answers generated, not exactly one`);
      if (generated[0]?.assistantMessage?.status !== "success") violations.push("the generating answer is not the finished exchange");
      for (const replay of answers) {
        if (replay?.replayed !== true) continue;
        const status = replay.assistantMessage?.status;
        const unfinished = status === "pending" || status === "building";
        if (replay.inFlight !== unfinished) {
          violations.push(`a replay of a ${status} reply answered inFlight: ${String(replay.inFlight)}`);
        }
      }
      return violations;
    },
  };
}

/**
 * The claim alone (where the idempotency lives), the same requestId twice: one `new`, and
 * the other sees that exchange `in-flight` (its reply is still pending: the claim alone
 * never finishes it), never a second exchange.
 */
export function sameRequestIdClaims({ db, databaseUrl }: CaseEnvironment): ExploreOptions<Database, RequestIdContext> {
  const claim = (laneDb: Database, { requestId, ...context }: RequestIdContext) =>
    claimExchange(laneDb, { ...context, prompt: "Red intro", requestId });
  return {
    name: "same requestId twice · claim",
    databaseUrl,
    connect: connectLane,
    setup: async () => ({ ...(await newWelcomeProject(db, "Explorer · same requestId")), requestId: randomUUID() }),
    requests: { A: claim, B: claim },
    check: async (context, input) => {
      const violations = await projectViolations(db, context.projectId, { ...input, final: false });
      if (!input.final) return violations;
      const claims = Object.values(input.outcomes).map(
        (outcome) => outcome.value as { status?: string; assistantMessage?: { id: string } } | undefined,
      );
      const statuses = claims.map((claimed) => claimed?.status).sort();
      if (statuses.join(",") !== "in-flight,new") violations.push(`claims answered ${statuses.join(" and ")}, not new and in-flight`);
      const ids = new Set(claims.map((claimed) => claimed?.assistantMessage?.id));
      if (ids.size !== 1) violations.push(`the two claims name different replies: ${[...ids].join(", ")}`);
      return violations;
    },
  };
}

interface SceneContext extends ProjectContext {
  sceneId: string;
  version: number;
}

/** Two manual edits of one scene at the same version: one saves, one gets CONFLICT, always. */
export function twoSceneUpdates({ db, databaseUrl }: CaseEnvironment): ExploreOptions<Database, SceneContext> {
  const titles: Record<string, string> = { A: "Edited by A", B: "Edited by B" };
  const edit = (lane: string) => (laneDb: Database, { userId, sceneId, version }: SceneContext) =>
    createCaller({ db: laneDb, userId, headers: new Headers() }).scene.update({
      sceneId,
      expectedVersion: version,
      patch: { title: titles[lane] },
    });
  return {
    name: "two scene.update at one version",
    databaseUrl,
    connect: connectLane,
    setup: async () => {
      const context = await newWelcomeProject(db, "Explorer · scene.update");
      const [scene] = (await readProjectWithScenes(db, context.userId, context.projectId)).scenes;
      if (!scene) throw new Error("a new project has its welcome scene");
      return { ...context, sceneId: scene.id, version: scene.version };
    },
    requests: { A: edit("A"), B: edit("B") },
    check: async ({ userId, projectId, version }, { final, outcomes }) => {
      if (!final) return [];
      const violations: string[] = [];
      const winners = Object.entries(outcomes).filter(([, outcome]) => outcome.ok);
      const conflicts = Object.values(outcomes).filter(
        (outcome) => outcome.error instanceof TRPCError && outcome.error.code === "CONFLICT",
      );
      if (winners.length !== 1 || conflicts.length !== 1) {
        violations.push(`expected one save and one CONFLICT, got ${winners.length} saves and ${conflicts.length} conflicts`);
      }
      const [scene] = (await readProjectWithScenes(db, userId, projectId)).scenes;
      const winner = winners[0]?.[0];
      if (scene?.version !== version + 1) violations.push(`the scene is at version ${scene?.version}, not ${version + 1}`);
      if (winner && scene?.props.title !== titles[winner]) {
        violations.push(`request ${winner} saved, but the scene's title is "${scene?.props.title}"`);
      }
      return violations;
    },
  };
}
