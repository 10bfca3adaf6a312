import { randomUUID } from "node:crypto";

import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { getDb } from "~/server/db";
import { scenes } from "~/server/db/schema";
import { simulatedModelCall } from "~/server/services/brain/model";
import { generateScene } from "~/server/services/generation/generate-scene";
import { callerFor, expectTRPCError } from "../support/callers";
import { inspectProject } from "../support/invariants";
import { pausePoint } from "../support/race";

async function projectWithScene() {
  const userId = randomUUID();
  const caller = callerFor(userId);
  const project = await caller.project.create();
  const [scene] = await caller.generation.getProjectScenes({ projectId: project.id });
  if (!scene) throw new Error("new project has no scene");
  return { userId, caller, project, scene };
}

const storedScene = async (sceneId: string) =>
  (await getDb().select().from(scenes).where(eq(scenes.id, sceneId)))[0];

describe("scene.update (optimistic locking)", () => {
  it("saves A, answers B's stale save with CONFLICT and the current scene, then takes B's after a refetch", async () => {
    const { caller, scene } = await projectWithScene();
    const loadedVersion = scene.version;

    const saved = await caller.scene.update({ sceneId: scene.id, expectedVersion: loadedVersion, patch: { title: "A's title" } });
    expect(saved.version).toBe(loadedVersion + 1);

    const conflict = await expectTRPCError(
      caller.scene.update({ sceneId: scene.id, expectedVersion: loadedVersion, patch: { backgroundColor: "#16a34a" } }),
      "CONFLICT",
    );
    expect(conflict.message).toContain(`now version ${loadedVersion + 1}`);
    expect(await storedScene(scene.id)).toMatchObject({ version: loadedVersion + 1, props: { title: "A's title" } });

    const [refetched] = await caller.generation.getProjectScenes({ projectId: scene.projectId });
    const retried = await caller.scene.update({
      sceneId: scene.id,
      expectedVersion: refetched?.version ?? 0,
      patch: { backgroundColor: "#16a34a" },
    });
    expect(retried).toMatchObject({ version: loadedVersion + 2, props: { title: "A's title", backgroundColor: "#16a34a" } });
  });

  it("carries the current version and props in error.data.conflict", async () => {
    const { userId, scene } = await projectWithScene();
    const { POST } = await import("~/app/api/trpc/[trpc]/route");
    const { SESSION_COOKIE, signSession } = await import("~/server/auth/session");
    const cookie = `${SESSION_COOKIE}=${await signSession(userId)}`;
    const update = (expectedVersion: number, title: string) =>
      POST(
        new Request("http://localhost/api/trpc/scene.update", {
          method: "POST",
          headers: { cookie, "content-type": "application/json" },
          body: JSON.stringify({ json: { sceneId: scene.id, expectedVersion, patch: { title } } }),
        }),
      );
    expect((await update(1, "first")).status).toBe(200);

    const response = await update(1, "second");
    const body = (await response.json()) as { error: { json: { data: { code: string; conflict: unknown } } } };

    expect(response.status).toBe(409);
    expect(body.error.json.data).toMatchObject({ code: "CONFLICT", conflict: { version: 2, props: { title: "first" } } });
  });

  it("lets exactly one of 20 concurrent saves with the same expectedVersion through", async () => {
    const { caller, scene } = await projectWithScene();

    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        caller.scene.update({ sceneId: scene.id, expectedVersion: scene.version, patch: { title: `Edit ${i}` } }),
      ),
    );

    const winners = results.filter((result) => result.status === "fulfilled");
    const conflicts = results.filter(
      (result) => result.status === "rejected" && result.reason instanceof TRPCError && result.reason.code === "CONFLICT",
    );
    expect(winners).toHaveLength(1);
    expect(conflicts).toHaveLength(19);
    const stored = await storedScene(scene.id);
    expect(stored?.version).toBe(scene.version + 1);
    expect(stored?.props.title).toBe((winners[0] as PromiseFulfilledResult<{ props: { title: string } }>).value.props.title);
  });

  it("keeps an edited welcome scene through the first generation", async () => {
    const { userId, caller, project, scene } = await projectWithScene();
    await caller.scene.update({ sceneId: scene.id, expectedVersion: 1, patch: { title: "My own intro" } });

    await generateScene(
      getDb(),
      { userId, projectId: project.id, prompt: "A red outro", requestId: randomUUID() },
      { modelCall: simulatedModelCall(0) },
    );

    const titles = (await caller.generation.getProjectScenes({ projectId: project.id })).map((s) => s.props.title);
    expect(titles).toEqual(["My own intro", "A red outro"]);
  });

  it.each([
    ["an empty patch", { patch: {} }],
    ["an unknown prop", { patch: { fontSize: 12 } }],
    ["a bad colour", { patch: { backgroundColor: "red" } }],
    ["a blank title", { patch: { title: "  " } }],
    ["a version of 0", { expectedVersion: 0 }],
    ["a non-uuid scene id", { sceneId: "scene-1" }],
  ])("answers BAD_REQUEST for %s and changes nothing", async (_name, override) => {
    const { caller, scene } = await projectWithScene();
    const input = { sceneId: scene.id, expectedVersion: 1, patch: { title: "x" }, ...override };
    await expectTRPCError(caller.scene.update(input as never), "BAD_REQUEST");
    expect(await storedScene(scene.id)).toMatchObject({ version: 1, props: scene.props });
  });

  it("answers NOT_FOUND for another user's scene and changes nothing", async () => {
    const { scene } = await projectWithScene();
    await expectTRPCError(
      callerFor().scene.update({ sceneId: scene.id, expectedVersion: 1, patch: { title: "mine now" } }),
      "NOT_FOUND",
    );
    expect(await storedScene(scene.id)).toMatchObject({ version: 1, props: scene.props });
  });
});

describe("a chat edit racing a manual edit", () => {
  it("the manual edit that lands during the model call wins; the chat edit says so, and a retry applies it on top", async () => {
    const { userId, caller, project } = await projectWithScene();
    const send = (prompt: string, requestId: string, modelCall = simulatedModelCall(0)) =>
      generateScene(getDb(), { userId, projectId: project.id, prompt, requestId }, { modelCall });
    await send("An intro", randomUUID());
    const [scene] = await caller.generation.getProjectScenes({ projectId: project.id });
    if (!scene) throw new Error("no scene");

    const requestId = randomUUID();
    const pause = pausePoint();
    const chatEdit = send("make scene 1 blue", requestId, pause.modelCall);
    await pause.reached;
    await caller.scene.update({ sceneId: scene.id, expectedVersion: scene.version, patch: { title: "Manual title" } });
    pause.release();
    const result = await chatEdit;

    expect(result.assistantMessage.status).toBe("error");
    expect(result.assistantMessage.error).toMatch(/changed by someone else/);
    expect(await storedScene(scene.id)).toMatchObject({ version: scene.version + 1, props: { title: "Manual title" } });

    const retried = await send("make scene 1 blue", requestId);
    expect(retried.assistantMessage.status).toBe("success");
    expect(await storedScene(scene.id)).toMatchObject({
      version: scene.version + 2,
      props: { title: "Manual title", backgroundColor: "#2563eb" },
    });
    expect((await inspectProject(project.id)).lostScenes).toBe(0);
  });
});
