import { randomUUID } from "node:crypto";

import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { getDb } from "~/server/db";
import { messages, scenes } from "~/server/db/schema";
import { simulatedModelCall } from "~/server/services/brain/model";
import { generateScene } from "~/server/services/generation/generate-scene";
import { createWelcomeProject } from "~/server/services/projects";
import { callerFor, expectTRPCError } from "../support/callers";
import { inspectProject } from "../support/invariants";
import { pausePoint } from "../support/race";

const instant = { modelCall: simulatedModelCall(0) };

async function newProject() {
  const userId = randomUUID();
  const project = await createWelcomeProject(getDb(), userId, "Test");
  const send = (prompt: string, requestId: string = randomUUID(), options = instant) =>
    generateScene(getDb(), { userId, projectId: project.id, prompt, requestId }, options);
  return { userId, project, send };
}

describe("generateScene", () => {
  it("replaces the welcome scene with the generated one", async () => {
    const { project, send } = await newProject();

    const result = await send("A fast red intro that zooms in, titled 'Launch day'");

    expect(result.replayed).toBe(false);
    expect(result.assistantMessage).toMatchObject({ status: "success", sceneId: result.scene?.id });
    expect(result.scene?.props).toMatchObject({
      backgroundColor: "#dc2626",
      title: "Launch day",
      animation: "zoom",
      durationFrames: 60,
    });
    expect(await inspectProject(project.id)).toMatchObject({
      isWelcome: false,
      welcomeScenes: 0,
      generatedScenes: 1,
      lostScenes: 0,
      stuckMessages: 0,
      messages: 2,
    });
  });

  it("edits and deletes scenes by their position", async () => {
    const { project, send } = await newProject();
    await send("An intro");
    await send("A middle");

    const edited = await send("make scene 2 blue");
    expect(edited.scene).toMatchObject({ name: "A middle", version: 2 });
    expect(edited.scene?.props.backgroundColor).toBe("#2563eb");

    const renamed = await send("change the title of scene 1 to 'Launch'");
    expect(renamed.scene?.props.title).toBe("Launch");

    const deleted = await send("delete scene 1");
    expect(deleted.assistantMessage).toMatchObject({ status: "success", sceneId: null });
    const left = await getDb().select().from(scenes).where(eq(scenes.projectId, project.id));
    expect(left.map((scene) => scene.props.title)).toEqual(["A middle"]);
    expect((await inspectProject(project.id)).lostScenes).toBe(0);
  });

  it("answers a request it cannot do with an error message in the thread", async () => {
    const { project, send } = await newProject();
    await send("An intro");
    const requestId = randomUUID();

    const result = await send("delete scene 9", requestId);

    expect(result.assistantMessage).toMatchObject({ status: "error", error: "There is no scene 9: the project has 1 scene." });
    expect(result.scene).toBeNull();
    expect((await inspectProject(project.id)).generatedScenes).toBe(1);

    const retried = await send("delete scene 9", requestId);
    expect(retried.assistantMessage.id).toBe(result.assistantMessage.id);
    expect(retried.assistantMessage.status).toBe("error");
    expect((await inspectProject(project.id)).messages).toBe(4);
  });

  it("never holds the project lock during the model call", async () => {
    const { project, send } = await newProject();
    const latencyMs = 500;
    const started = performance.now();

    await Promise.all(
      Array.from({ length: 10 }, (_, i) => send(`Scene ${i}`, randomUUID(), { modelCall: simulatedModelCall(latencyMs) })),
    );

    const elapsed = performance.now() - started;
    console.log(`[lock scope] 10 concurrent generations at ${latencyMs} ms model latency: ${elapsed.toFixed(0)} ms`);
    expect(elapsed).toBeLessThan(3 * latencyMs);
    expect(await inspectProject(project.id)).toMatchObject({ generatedScenes: 10, lostScenes: 0, ordersUnique: true });
  });

  it("lets a second generation through its claim while the first is in its model call", async () => {
    const { project, send } = await newProject();
    const [pauseA, pauseB] = [pausePoint(), pausePoint()];

    const requestA = send("A red intro", randomUUID(), pauseA);
    await pauseA.reached;
    const requestB = send("A blue outro", randomUUID(), pauseB);
    // B's claim needs the project lock: it gets there only if A is not holding it.
    await pauseB.reached;

    pauseA.release();
    pauseB.release();
    await Promise.all([requestA, requestB]);
    expect(await inspectProject(project.id)).toMatchObject({ generatedScenes: 2, lostScenes: 0 });
  });
});

describe("generateScene with a repeated requestId", () => {
  it("generates once when the same request arrives twice at once (20 trials)", async () => {
    for (let trial = 0; trial < 20; trial++) {
      const { project, send } = await newProject();
      const requestId = randomUUID();

      const results = await Promise.all([send("A red intro", requestId), send("A red intro", requestId)]);

      expect(results.filter((result) => result.replayed)).toHaveLength(1);
      expect(await inspectProject(project.id)).toMatchObject({ messages: 2, generatedScenes: 1, lostScenes: 0 });
    }
  });

  it("reports the first request as in progress to a repeat that arrives mid-generation", async () => {
    const { project, send } = await newProject();
    const requestId = randomUUID();
    const pause = pausePoint();
    const first = send("A red intro", requestId, pause);
    await pause.reached;

    const repeat = await send("A red intro", requestId);
    expect(repeat).toMatchObject({ replayed: true, inFlight: true, scene: null });
    expect(repeat.assistantMessage.status).toBe("building");

    pause.release();
    const done = await first;
    expect(done.assistantMessage.id).toBe(repeat.assistantMessage.id);
    expect(await inspectProject(project.id)).toMatchObject({ messages: 2, generatedScenes: 1 });
  });

  it("returns the finished exchange to a later repeat", async () => {
    const { send } = await newProject();
    const requestId = randomUUID();
    const first = await send("A red intro", requestId);

    // The same prompt (another prompt with this requestId is refused: idempotency.test.ts).
    const repeat = await send("A red intro", requestId);

    expect(repeat).toMatchObject({ replayed: true, inFlight: false });
    expect(repeat.assistantMessage).toEqual(first.assistantMessage);
    expect(repeat.scene).toEqual(first.scene);
  });
});

describe("generation.generateScene procedure", () => {
  it.each([
    ["an empty prompt", { prompt: "  " }],
    ["a 2001-character prompt", { prompt: "x".repeat(2001) }],
    ["a requestId that is not a uuid", { requestId: "abc" }],
    ["a missing requestId", { requestId: undefined }],
  ])("answers BAD_REQUEST for %s and writes nothing", async (_name, override) => {
    const caller = callerFor();
    const project = await caller.project.create();
    const input = { projectId: project.id, prompt: "A red intro", requestId: randomUUID(), ...override };

    await expectTRPCError(caller.generation.generateScene(input as never), "BAD_REQUEST");

    expect(await getDb().select().from(messages).where(eq(messages.projectId, project.id))).toEqual([]);
  });

  it("returns each message once, in sequence order, after concurrent sends", async () => {
    const caller = callerFor();
    const project = await caller.project.create();

    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        caller.generation.generateScene({ projectId: project.id, prompt: `Scene ${i}`, requestId: randomUUID() }),
      ),
    );
    const thread = await caller.generation.getChatMessages({ projectId: project.id });

    expect(thread).toHaveLength(12);
    expect(new Set(thread.map((message) => message.id)).size).toBe(12);
    expect(thread.map((message) => message.sequence)).toEqual([...thread.map((m) => m.sequence)].sort((a, b) => a - b));
    const users = thread.filter((message) => message.role === "user");
    for (const user of users) {
      const reply = thread.find((message) => message.replyToId === user.id);
      expect(reply?.sequence).toBe(user.sequence + 1);
    }
  });
});
