import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";

import { eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";

import { toTRPCError } from "~/server/api/errors";
import { getDb } from "~/server/db";
import { messages } from "~/server/db/schema";
import { simulatedModelCall } from "~/server/services/brain/model";
import { generateScene } from "~/server/services/generation/generate-scene";
import { INTERRUPTED_REPLY } from "~/server/services/generation/recovery";
import { createWelcomeProject } from "~/server/services/projects";
import { callerFor } from "../support/callers";
import { inspectProject } from "../support/invariants";
import { holdProjectLock, pausePoint } from "../support/race";

async function newProject() {
  const userId = randomUUID();
  const project = await createWelcomeProject(getDb(), userId, "Faults");
  const send = (prompt: string, requestId: string, modelCall = simulatedModelCall(0)) =>
    generateScene(getDb(), { userId, projectId: project.id, prompt, requestId }, { modelCall });
  return { userId, project, send };
}

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe("faults", () => {
  it("a connection terminated mid-apply fails cleanly, writes nothing of the apply, and a retry completes once", async () => {
    const { project, send } = await newProject();
    const requestId = randomUUID();
    const pause = pausePoint();
    const request = send("A red intro", requestId, pause.modelCall);
    await pause.reached;
    const gate = await holdProjectLock(project.id);
    pause.release();
    const [applyingBackend] = await gate.waitUntilBlocked(1);

    await getDb().execute(sql`select pg_terminate_backend(${applyingBackend}::int)`);
    const failure = await request.then(() => undefined, (error: unknown) => error);
    await gate.release();

    const mapped = toTRPCError(failure);
    console.log(`[faults] terminated apply → ${mapped?.code}: ${mapped?.message}`);
    expect(mapped?.code).toBe("SERVICE_UNAVAILABLE");
    expect(await inspectProject(project.id)).toMatchObject({
      isWelcome: true,
      welcomeScenes: 1,
      generatedScenes: 0,
      messages: 2,
      stuckMessages: 0,
    });

    const retried = await send("A red intro", requestId);
    expect(retried.assistantMessage.status).toBe("success");
    expect(await inspectProject(project.id)).toMatchObject({
      welcomeScenes: 0,
      generatedScenes: 1,
      messages: 2,
      lostScenes: 0,
      stuckMessages: 0,
    });
  });

  it("an exchange whose server died mid-generation is marked failed, then retried once", async () => {
    const { userId, project, send } = await newProject();
    const requestId = randomUUID();
    const pause = pausePoint();
    void send("A red intro", requestId, pause.modelCall).catch(() => undefined);
    await pause.reached;
    // The process is "killed": its model call never returns and its lease is not renewed.
    // Instead of waiting out EXCHANGE_LEASE_MS, age the lease in the database.
    await getDb()
      .update(messages)
      .set({ updatedAt: sql`now() - interval '1 hour'` })
      .where(eq(messages.projectId, project.id));

    const thread = await callerFor(userId).generation.getChatMessages({ projectId: project.id });

    expect(thread.map((message) => message.status)).toEqual(["success", "error"]);
    expect(thread[1]?.error).toBe(INTERRUPTED_REPLY);
    // Shown as interrupted by the read, recorded by the next claim (the retry below): a query writes nothing.
    expect((await inspectProject(project.id)).stuckMessages).toBe(1);

    const retried = await send("A red intro", requestId);
    expect(retried.assistantMessage).toMatchObject({ id: thread[1]?.id, status: "success" });
    pause.release();
    expect(await inspectProject(project.id)).toMatchObject({ generatedScenes: 1, messages: 2, lostScenes: 0 });
  });

  it("a server process SIGKILLed during the model call leaves an exchange that expires, then retries once", async () => {
    vi.stubEnv("EXCHANGE_LEASE_MS", "1000");
    vi.resetModules();
    const { createCaller } = await import("~/server/api/root");
    const { userId, project } = await newProject();
    const requestId = randomUUID();
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "--conditions", "react-server", "tests/support/generate-then-hang.ts", userId, project.id, requestId],
      { env: { ...process.env, EXCHANGE_LEASE_MS: "1000", NODE_ENV: "test" }, stdio: ["ignore", "pipe", "inherit"] },
    );
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => chunk.toString().includes("CLAIMED") && resolve());
      child.on("exit", (code) => reject(new Error(`child exited early (${code})`)));
    });
    const exited = new Promise((resolve) => child.on("exit", resolve));
    child.kill("SIGKILL");
    await exited;

    const caller = createCaller({ db: getDb(), userId, headers: new Headers() });
    await expect
      .poll(async () => (await caller.generation.getChatMessages({ projectId: project.id }))[1]?.status, {
        timeout: 10_000,
        interval: 200,
      })
      .toBe("error");
    // Shown as interrupted by the read, recorded by the next claim (the retry below): a query writes nothing.
    expect((await inspectProject(project.id)).stuckMessages).toBe(1);

    // The retry in a process with the same 1 s lease (the app's modules loaded again with it).
    const retried = await caller.generation.generateScene({ projectId: project.id, prompt: "A red intro", requestId });
    expect(retried.assistantMessage.status).toBe("success");
    expect(await inspectProject(project.id)).toMatchObject({ generatedScenes: 1, messages: 2, lostScenes: 0 });
  });

  it("renews the lease of a model call that outlasts it, so a live exchange is never expired", async () => {
    vi.stubEnv("EXCHANGE_LEASE_MS", "1000");
    vi.resetModules();
    const { generateScene: generateWithShortLease } = await import("~/server/services/generation/generate-scene");
    const { createCaller } = await import("~/server/api/root");
    const { userId, project } = await newProject();
    const pause = pausePoint();
    const request = generateWithShortLease(
      getDb(),
      { userId, projectId: project.id, prompt: "A red intro", requestId: randomUUID() },
      { modelCall: pause.modelCall },
    );
    await pause.reached;
    // Poll the database clock (not a sleep) until two lease lengths have passed.
    await expect
      .poll(async () => {
        const [row] = await getDb()
          .select({ age: sql<number>`extract(epoch from now() - ${messages.createdAt})::float` })
          .from(messages)
          .where(eq(messages.projectId, project.id))
          .limit(1);
        return row?.age ?? 0;
      }, { timeout: 10_000, interval: 100 })
      .toBeGreaterThan(2);

    const thread = await createCaller({ db: getDb(), userId, headers: new Headers() }).generation.getChatMessages({
      projectId: project.id,
    });
    expect(thread[1]?.status).toBe("building");

    pause.release();
    expect((await request).assistantMessage.status).toBe("success");
  });

  it("leaves a live exchange alone while its lease is fresh", async () => {
    const { userId, project, send } = await newProject();
    const pause = pausePoint();
    const request = send("A red intro", randomUUID(), pause.modelCall);
    await pause.reached;

    const thread = await callerFor(userId).generation.getChatMessages({ projectId: project.id });
    expect(thread[1]?.status).toBe("building");

    pause.release();
    await request;
    expect((await inspectProject(project.id)).generatedScenes).toBe(1);
  });
});
