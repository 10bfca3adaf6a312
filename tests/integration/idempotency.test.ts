/**
 * Issue 12, items 7 and 8: idempotency keys (`requestId`) with the semantics of the IETF
 * Idempotency-Key draft and Stripe. Every test here failed on the code before the fix:
 * `project.create` ignored a requestId (two concurrent creates made two projects), a
 * requestId reused with another prompt was answered 200 with the old exchange, and a
 * replay of an unfinished exchange did not say it was unfinished.
 */
import { randomUUID } from "node:crypto";

import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { getDb } from "~/server/db";
import { messages, projects, scenes } from "~/server/db/schema";
import { REQUEST_ID_REUSED } from "~/server/services/generation/claim";
import { generateScene } from "~/server/services/generation/generate-scene";
import { PROJECT_REQUEST_ID_REUSED } from "~/server/services/projects";
import { callerFor, expectTRPCError } from "../support/callers";
import { inspectProject } from "../support/invariants";
import { pausePoint } from "../support/race";

const projectsOf = (ownerId: string) => getDb().select().from(projects).where(eq(projects.ownerId, ownerId));

async function welcomeScenesOf(projectId: string) {
  const [row] = await getDb()
    .select({ count: sql<number>`count(*)::int` })
    .from(scenes)
    .where(eq(scenes.projectId, projectId));
  return row?.count ?? 0;
}

describe("project.create with a requestId (item 7; before the fix the requestId was dropped and each create made a project)", () => {
  it("two concurrent creates with one requestId make one project, and both answers name it (20 trials)", async () => {
    for (let trial = 0; trial < 20; trial++) {
      const userId = randomUUID();
      const caller = callerFor(userId);
      const requestId = randomUUID();

      const answers = await Promise.all([caller.project.create({ requestId }), caller.project.create({ requestId })]);

      const stored = await projectsOf(userId);
      expect(stored, `trial ${trial}: projects for one requestId`).toHaveLength(1);
      expect(answers.map((answer) => answer.id)).toEqual([stored[0]?.id, stored[0]?.id]);
      expect(answers.map((answer) => answer.replayed).sort()).toEqual([false, true]);
      expect(await welcomeScenesOf(stored[0]?.id ?? "")).toBe(1);
    }
  });

  it("ten concurrent creates with one requestId make one project", async () => {
    const userId = randomUUID();
    const caller = callerFor(userId);
    const requestId = randomUUID();

    const answers = await Promise.all(Array.from({ length: 10 }, () => caller.project.create({ title: "Launch", requestId })));

    expect(await projectsOf(userId)).toHaveLength(1);
    expect(new Set(answers.map((answer) => answer.id)).size).toBe(1);
    expect(answers.filter((answer) => !answer.replayed)).toHaveLength(1);
  });

  it("two concurrent creates with two requestIds make two projects", async () => {
    const userId = randomUUID();
    const caller = callerFor(userId);

    const answers = await Promise.all([
      caller.project.create({ requestId: randomUUID() }),
      caller.project.create({ requestId: randomUUID() }),
    ]);

    expect(await projectsOf(userId)).toHaveLength(2);
    expect(new Set(answers.map((answer) => answer.id)).size).toBe(2);
    expect(answers.map((answer) => answer.replayed)).toEqual([false, false]);
  });

  it("a later repeat answers the same project, replayed, and creates nothing", async () => {
    const userId = randomUUID();
    const caller = callerFor(userId);
    const requestId = randomUUID();
    const first = await caller.project.create({ title: "  Teaser ", requestId });

    const repeat = await caller.project.create({ title: "Teaser", requestId });

    expect(first.replayed).toBe(false);
    expect(repeat).toMatchObject({ id: first.id, title: "Teaser", replayed: true });
    expect(await projectsOf(userId)).toHaveLength(1);
  });

  it("a requestId is scoped to its owner: another user with the same id gets a project of their own", async () => {
    const requestId = randomUUID();
    const [alice, bob] = [randomUUID(), randomUUID()];

    const [mine, theirs] = await Promise.all([
      callerFor(alice).project.create({ requestId }),
      callerFor(bob).project.create({ requestId }),
    ]);

    expect(mine.id).not.toBe(theirs.id);
    expect([mine.ownerId, theirs.ownerId]).toEqual([alice, bob]);
    expect([mine.replayed, theirs.replayed]).toEqual([false, false]);
  });

  it("without a requestId every create is a new project (as before)", async () => {
    const userId = randomUUID();
    const caller = callerFor(userId);

    await Promise.all([caller.project.create(), caller.project.create({ title: "Second" })]);

    expect(await projectsOf(userId)).toHaveLength(2);
  });

  it("answers BAD_REQUEST for a requestId that is not a uuid and writes nothing", async () => {
    const userId = randomUUID();
    await expectTRPCError(callerFor(userId).project.create({ requestId: "abc" } as never), "BAD_REQUEST");
    expect(await projectsOf(userId)).toHaveLength(0);
  });
});

describe("a requestId reused with another payload is refused (item 8; before the fix: 200 with the old result)", () => {
  it("project.create: the same requestId with another title → UNPROCESSABLE_CONTENT (HTTP 422), nothing created", async () => {
    const userId = randomUUID();
    const caller = callerFor(userId);
    const requestId = randomUUID();
    const first = await caller.project.create({ title: "Launch", requestId });

    const error = await expectTRPCError(caller.project.create({ title: "Outro", requestId }), "UNPROCESSABLE_CONTENT");

    expect(error.message).toBe(PROJECT_REQUEST_ID_REUSED);
    expect(getHTTPStatusCodeFromError(error)).toBe(422);
    expect((await projectsOf(userId)).map((project) => [project.id, project.title])).toEqual([[first.id, "Launch"]]);
  });

  it("generation.generateScene: another prompt after the exchange finished → UNPROCESSABLE_CONTENT, nothing generated", async () => {
    const caller = callerFor();
    const project = await caller.project.create();
    const requestId = randomUUID();
    await caller.generation.generateScene({ projectId: project.id, prompt: "A red intro", requestId });

    const error = await expectTRPCError(
      caller.generation.generateScene({ projectId: project.id, prompt: "A blue outro", requestId }),
      "UNPROCESSABLE_CONTENT",
    );

    expect(error.message).toBe(REQUEST_ID_REUSED);
    expect(getHTTPStatusCodeFromError(error)).toBe(422);
    const thread = await caller.generation.getChatMessages({ projectId: project.id });
    expect(thread.map((message) => [message.role, message.content === "A blue outro"])).toEqual([
      ["user", false],
      ["assistant", false],
    ]);
    expect(await inspectProject(project.id)).toMatchObject({ generatedScenes: 1, messages: 2 });
  });

  it("generation.generateScene: another prompt while the first is still in flight → UNPROCESSABLE_CONTENT", async () => {
    const userId = randomUUID();
    const caller = callerFor(userId);
    const project = await caller.project.create();
    const requestId = randomUUID();
    const pause = pausePoint();
    const first = generateScene(getDb(), { userId, projectId: project.id, prompt: "A red intro", requestId }, pause);
    await pause.reached;

    await expectTRPCError(
      caller.generation.generateScene({ projectId: project.id, prompt: "A blue outro", requestId }),
      "UNPROCESSABLE_CONTENT",
    );

    pause.release();
    expect((await first).assistantMessage.status).toBe("success");
    expect(await inspectProject(project.id)).toMatchObject({ generatedScenes: 1, messages: 2 });
  });

  it("generation.generateScene: another prompt for a failed exchange is refused, not taken as its retry", async () => {
    const caller = callerFor();
    const project = await caller.project.create();
    await caller.generation.generateScene({ projectId: project.id, prompt: "An intro", requestId: randomUUID() });
    const requestId = randomUUID();
    const failed = await caller.generation.generateScene({ projectId: project.id, prompt: "delete scene 9", requestId });
    expect(failed.assistantMessage.status).toBe("error");

    await expectTRPCError(
      caller.generation.generateScene({ projectId: project.id, prompt: "A middle", requestId }),
      "UNPROCESSABLE_CONTENT",
    );

    const [reply] = await getDb().select().from(messages).where(eq(messages.id, failed.assistantMessage.id));
    expect(reply).toMatchObject({ status: "error", attempt: 1 });
    expect((await inspectProject(project.id)).generatedScenes).toBe(1);
  });
});

describe("a replay says whether the exchange is still in flight (item 8; before the fix there was no inFlight)", () => {
  it("a repeat while the first request is in its model call answers inFlight: true, replayed: true, and generates nothing", async () => {
    const userId = randomUUID();
    const caller = callerFor(userId);
    const project = await caller.project.create();
    const requestId = randomUUID();
    const pause = pausePoint();
    const first = generateScene(getDb(), { userId, projectId: project.id, prompt: "A red intro", requestId }, pause);
    await pause.reached;

    const repeat = await caller.generation.generateScene({ projectId: project.id, prompt: "A red intro", requestId });

    expect(repeat).toMatchObject({ replayed: true, inFlight: true, scene: null });
    expect(repeat.assistantMessage.status).toBe("building");
    pause.release();
    const done = await first;
    expect(done).toMatchObject({ replayed: false, inFlight: false });
    expect(done.assistantMessage.id).toBe(repeat.assistantMessage.id);
    expect(await inspectProject(project.id)).toMatchObject({ generatedScenes: 1, messages: 2 });
  });

  it("two at once with one requestId: one generates, the other is the in-flight replay of the same exchange (20 trials)", async () => {
    for (let trial = 0; trial < 20; trial++) {
      const userId = randomUUID();
      const caller = callerFor(userId);
      const project = await caller.project.create();
      const input = { projectId: project.id, prompt: "A red intro", requestId: randomUUID() };
      // The model call waits until the other request has answered: whichever generates is
      // still in flight when the repeat claims (no timing involved).
      let releaseModel = () => undefined as void;
      const model = new Promise<void>((resolve) => (releaseModel = resolve));
      const calls = [0, 1].map(() => generateScene(getDb(), { userId, ...input }, { modelCall: () => model }));
      await Promise.race(calls);
      releaseModel();
      const answers = await Promise.all(calls);

      const [generated, replay] = [answers.find((answer) => !answer.replayed), answers.find((answer) => answer.replayed)];
      expect(generated?.assistantMessage.status).toBe("success");
      expect(replay?.assistantMessage.id).toBe(generated?.assistantMessage.id);
      // The repeat's claim waits for the first one's, then finds it pending or building: in flight.
      expect(replay).toMatchObject({ inFlight: true, scene: null });
      expect(await inspectProject(project.id)).toMatchObject({ generatedScenes: 1, messages: 2 });
    }
  });

  it("a repeat after the exchange finished answers inFlight: false with its scene", async () => {
    const caller = callerFor();
    const project = await caller.project.create();
    const input = { projectId: project.id, prompt: "A red intro", requestId: randomUUID() };
    const first = await caller.generation.generateScene(input);

    const repeat = await caller.generation.generateScene(input);

    expect(repeat).toMatchObject({ replayed: true, inFlight: false });
    expect(repeat.assistantMessage).toEqual(first.assistantMessage);
    expect(repeat.scene?.id).toBe(first.scene?.id);
  });
});
