/**
 * Issue 12, item 10 (c) and (d): the reply a run may complete, and the clock of the lease.
 *
 * (c) `completeExchange` completed whatever it was given. A generation whose lease expired
 * (its process stalled past EXCHANGE_LEASE_MS) is marked failed and can be retried; when
 * the stalled original woke up, it applied too — a second scene and a reply overwritten.
 * Now a reply carries an attempt (a fencing token, incremented by each retry), and only an
 * unfinished reply of the run's own attempt can be completed.
 *
 * (d) The lease was written with the app's clock (drizzle's `$onUpdate(() => new Date())`
 * on `updated_at`, which markBuilding and every status change go through) and expired with
 * the database's `now()`. An app clock behind the database's expired live exchanges; one
 * ahead kept dead ones. Now every timestamp write is the database's `now()`.
 *
 * Every test here failed on the code before the fix (each says how).
 */
import { randomUUID } from "node:crypto";

import { eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";

import { getDb } from "~/server/db";
import { messages } from "~/server/db/schema";
import { simulatedModelCall, type ModelCall } from "~/server/services/brain/model";
import { claimExchange } from "~/server/services/generation/claim";
import { completeExchange, ReplyNotOpenError } from "~/server/services/generation/exchange";
import { generateScene } from "~/server/services/generation/generate-scene";
import { INTERRUPTED_REPLY } from "~/server/services/generation/recovery";
import { createWelcomeProject } from "~/server/services/projects";
import { callerFor } from "../support/callers";
import { inspectProject } from "../support/invariants";
import { pausePoint } from "../support/race";

const PROMPT = "A red intro";

async function newProject() {
  const userId = randomUUID();
  const project = await createWelcomeProject(getDb(), userId, "Lease");
  const requestId = randomUUID();
  const send = (modelCall: ModelCall = simulatedModelCall(0), prompt = PROMPT, id = requestId) =>
    generateScene(getDb(), { userId, projectId: project.id, prompt, requestId: id }, { modelCall });
  return { userId, projectId: project.id, send };
}

/** The original "stalled": instead of waiting out EXCHANGE_LEASE_MS, age its lease in the database. */
async function expireLeases(projectId: string) {
  await getDb()
    .update(messages)
    .set({ updatedAt: sql`now() - interval '1 hour'` })
    .where(eq(messages.projectId, projectId));
}

const replyOf = async (projectId: string) =>
  (await getDb().select().from(messages).where(eq(messages.projectId, projectId))).find((m) => m.role === "assistant");

describe("a late original cannot complete a reply that expired and was retried (item 10c)", () => {
  // Before the fix: the late original completed the retry's building reply with its own
  // scene (answering replayed: false); the retry then overwrote it: two generated scenes.
  it("while the retry is still running: the original writes nothing, the retry completes once", async () => {
    const { projectId, send } = await newProject();
    const original = pausePoint();
    const late = send(original.modelCall);
    await original.reached;
    await expireLeases(projectId);

    const retry = pausePoint();
    const retried = send(retry.modelCall); // its claim expires the original's reply, then retries it
    await retry.reached;
    expect(await replyOf(projectId)).toMatchObject({ status: "building", attempt: 2 });

    original.release();
    const lateAnswer = await late;
    expect(await inspectProject(projectId), "what the late original wrote").toMatchObject({
      generatedScenes: 0,
      welcomeScenes: 1,
      isWelcome: true,
    });
    expect(lateAnswer).toMatchObject({ replayed: true, inFlight: true, scene: null });
    expect(lateAnswer.assistantMessage).toMatchObject({ status: "building", attempt: 2 });

    retry.release();
    const retryAnswer = await retried;
    expect(retryAnswer).toMatchObject({ replayed: false, inFlight: false });
    expect(retryAnswer.assistantMessage).toMatchObject({ status: "success", attempt: 2, sceneId: retryAnswer.scene?.id });
    expect(await inspectProject(projectId)).toMatchObject({
      generatedScenes: 1,
      welcomeScenes: 0,
      lostScenes: 0,
      stuckMessages: 0,
      messages: 2,
      violations: [],
    });
  });

  it("after the retry finished: the original writes nothing and answers the retry's result", async () => {
    const { projectId, send } = await newProject();
    const original = pausePoint();
    const late = send(original.modelCall);
    await original.reached;
    await expireLeases(projectId);

    const retryAnswer = await send();
    expect(retryAnswer.assistantMessage).toMatchObject({ status: "success", attempt: 2 });

    original.release();
    const lateAnswer = await late;
    expect(await inspectProject(projectId)).toMatchObject({ generatedScenes: 1, lostScenes: 0, messages: 2, violations: [] });
    expect((await replyOf(projectId))?.sceneId).toBe(retryAnswer.scene?.id);
    expect(lateAnswer).toMatchObject({ replayed: true, inFlight: false });
    expect(lateAnswer.scene?.id).toBe(retryAnswer.scene?.id);
  });

  it("expired and not retried: the original does not resurrect the failed reply; the retry then runs once", async () => {
    const { userId, projectId, send } = await newProject();
    const original = pausePoint();
    const late = send(original.modelCall);
    await original.reached;
    await expireLeases(projectId);
    const thread = await callerFor(userId).generation.getChatMessages({ projectId });
    expect(thread[1]).toMatchObject({ status: "error", error: INTERRUPTED_REPLY });

    original.release();
    const lateAnswer = await late;
    expect(await inspectProject(projectId)).toMatchObject({ generatedScenes: 0, welcomeScenes: 1 });
    expect(lateAnswer).toMatchObject({ replayed: true, inFlight: false, scene: null });
    expect(lateAnswer.assistantMessage).toMatchObject({ status: "error", attempt: 1 });

    const retried = await send();
    expect(retried.assistantMessage).toMatchObject({ status: "success", attempt: 2 });
    expect(await inspectProject(projectId)).toMatchObject({ generatedScenes: 1, messages: 2, violations: [] });
  });

  it("completeExchange says clearly that a finished reply is not open, and changes nothing", async () => {
    const { userId, projectId } = await newProject();
    const claim = await claimExchange(getDb(), { userId, projectId, prompt: PROMPT, requestId: randomUUID() });
    const { id, attempt } = claim.assistantMessage;
    await completeExchange(getDb(), id, { scene: null, reply: "first" }, attempt);

    const again = await completeExchange(getDb(), id, { scene: null, reply: "second" }, attempt).catch((error: unknown) => error);
    expect(ReplyNotOpenError.is(again)).toBe(true);
    expect((again as Error).message).toMatch(/is not open for this run to complete: it is success at attempt 1/);
    const stale = await completeExchange(getDb(), id, { scene: null, reply: "stale" }, attempt + 1).catch((e: unknown) => e);
    expect(ReplyNotOpenError.is(stale)).toBe(true);
    expect(await replyOf(projectId)).toMatchObject({ status: "success", content: "first" });
  });
});

describe("the lease uses one clock, the database's (item 10d)", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000;

  function skewAppClock(offsetMs: number) {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + offsetMs);
  }

  // Before the fix: markBuilding wrote the app's (skewed) time into updated_at, ten years off.
  it.each([
    ["behind", -TEN_YEARS_MS],
    ["ahead of", TEN_YEARS_MS],
  ])("with the app clock ten years %s the database's, a building reply's lease is the database's now()", async (_name, offsetMs) => {
    const { projectId, send } = await newProject();
    skewAppClock(offsetMs);
    const pause = pausePoint();
    const request = send(pause.modelCall);
    await pause.reached;

    const [row] = await getDb()
      .select({ status: messages.status, age: sql<number>`extract(epoch from now() - ${messages.updatedAt})::float` })
      .from(messages)
      .where(eq(messages.projectId, projectId))
      .orderBy(messages.sequence)
      .offset(1);
    expect(row?.status).toBe("building");
    expect(Math.abs(row?.age ?? Infinity), "seconds between the lease and the database's now()").toBeLessThan(60);

    pause.release();
    expect((await request).assistantMessage.status).toBe("success");
  });

  // Before the fix: the second request's claim found the first's lease ten years old and
  // marked the live exchange failed ("interrupted") while it was in its model call.
  it("with the app clock behind, another request's claim does not expire a live exchange", async () => {
    const { userId, projectId, send } = await newProject();
    skewAppClock(-TEN_YEARS_MS);
    const pause = pausePoint();
    const first = send(pause.modelCall);
    await pause.reached;

    await send(simulatedModelCall(0), "A blue outro", randomUUID());
    const thread = await callerFor(userId).generation.getChatMessages({ projectId });

    expect(thread.map((message) => [message.content, message.status])).toContainEqual(["", "building"]);
    pause.release();
    expect(await first).toMatchObject({ replayed: false, assistantMessage: { status: "success", attempt: 1 } });
    expect(await inspectProject(projectId)).toMatchObject({ generatedScenes: 2, lostScenes: 0, violations: [] });
  });
});
