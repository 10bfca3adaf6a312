import { randomUUID } from "node:crypto";

import { expect, test } from "@playwright/test";

import {
  countLostScenes,
  createProject,
  expectNoLoss,
  expectOverlapped,
  instanceURL,
  openWorkspace,
  trpcMutation,
  waitForExchanges,
} from "./support";

/**
 * Two `next start` processes (playwright.config.ts starts both) on one PostgreSQL. One
 * user's requests are split across them, one to each, in flight together. Whatever guards
 * the welcome reset and the requestId must live in the database: a mutex or a Map in one
 * Node process cannot see the other process's request.
 */
const one = instanceURL(1);
const two = instanceURL(2);

interface Generated {
  replayed: boolean;
  scene: { id: string } | null;
}

test.describe("two app instances, one database", () => {
  test("one double-submit split across the instances (same requestId) makes one exchange", async ({ page }) => {
    const projectId = await createProject(page);
    const input = { projectId, prompt: "A purple intro titled 'Split'", requestId: randomUUID() };

    const answers = await Promise.all([
      trpcMutation<Generated>(page, one, "generation.generateScene", input),
      trpcMutation<Generated>(page, two, "generation.generateScene", input),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    expect(answers.map((answer) => answer.data?.replayed).sort()).toEqual([false, true]);

    // Either instance tells the same story: it is one database.
    for (const baseURL of [one, two]) {
      const { messages, scenes } = await expectNoLoss(page, projectId, 1, baseURL);
      expect(messages.map((message) => message.role)).toEqual(["user", "assistant"]);
      expect(scenes.map((scene) => scene.kind)).toEqual(["generated"]);
      expect(messages[1]?.sceneId).toBe(scenes[0]?.id);
    }

    // And the browser, on the second instance with the same session cookie, sees it too.
    await openWorkspace(page, projectId, two);
    await expect(page.getByTestId("chat-message")).toHaveCount(2);
    await expect(page.locator('[data-testid="scene-card"][data-scene-kind="generated"]')).toHaveCount(1);
    await expect(page.locator('[data-testid="scene-card"][data-scene-kind="welcome"]')).toHaveCount(0);
  });

  test("two different prompts split across the instances keep both scenes", async ({ page }) => {
    const projectId = await createProject(page);

    const answers = await Promise.all([
      trpcMutation<Generated>(page, one, "generation.generateScene", {
        projectId,
        prompt: "A red intro on instance one",
        requestId: randomUUID(),
      }),
      trpcMutation<Generated>(page, two, "generation.generateScene", {
        projectId,
        prompt: "A blue outro on instance two",
        requestId: randomUUID(),
      }),
    ]);
    expect(answers.map((answer) => [answer.status, answer.data?.replayed])).toEqual([
      [200, false],
      [200, false],
    ]);

    const { messages, scenes } = await expectNoLoss(page, projectId, 2, two);
    expectOverlapped(messages);
    expect(scenes.map((scene) => scene.kind)).toEqual(["generated", "generated"]);
    expect(new Set(scenes.map((scene) => scene.order)).size).toBe(2);
    expect(new Set(answers.map((answer) => answer.data?.scene?.id))).toEqual(new Set(scenes.map((scene) => scene.id)));
  });

  test("the Race Lab's naive strategy split across the instances loses a scene (the test has teeth)", async ({
    page,
  }) => {
    const projectId = await createProject(page);
    const lab = (latencyMs: number, prompt: string) => ({ projectId, prompt, strategy: "naive", latencyMs });

    const answers = await Promise.all([
      trpcMutation(page, one, "lab.generateScene", lab(800, "A red intro on instance one")),
      trpcMutation(page, two, "lab.generateScene", lab(2800, "A blue outro on instance two")),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);

    const state = await waitForExchanges(page, projectId, 2);
    expectOverlapped(state.messages);
    expect(await countLostScenes(page, projectId, 2)).toBe(1);
    expect(state.scenes).toHaveLength(1);
  });
});
