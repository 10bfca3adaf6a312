import { expect, test } from "@playwright/test";

import { createProject, trpcQuery, type MessageRow, type SceneRow } from "./support";

test("a double-clicked Generate makes one exchange and one scene, and replaces the welcome scene", async ({ page }) => {
  const projectId = await createProject(page);

  await page.getByLabel("Prompt").fill("A red intro titled 'Hello'");
  await page.getByTestId("send").dblclick();

  const assistant = page.locator('[data-testid="chat-message"][data-role="assistant"]');
  await expect(assistant).toHaveAttribute("data-status", "success");
  await expect(page.locator('[data-testid="scene-card"][data-scene-kind="generated"]')).toHaveCount(1);
  await expect(page.locator('[data-testid="scene-card"][data-scene-kind="welcome"]')).toHaveCount(0);

  await page.reload();
  await expect(page.getByTestId("chat-message")).toHaveCount(2);
  await expect(page.getByTestId("scene-card")).toHaveCount(1);

  const scenes = await trpcQuery<SceneRow[]>(page, "generation.getProjectScenes", { projectId });
  const messages = await trpcQuery<MessageRow[]>(page, "generation.getChatMessages", { projectId });
  expect(scenes.map((scene) => scene.kind)).toEqual(["generated"]);
  expect(messages.map((message) => message.role)).toEqual(["user", "assistant"]);
  expect(messages[1]?.sceneId).toBe(scenes[0]?.id);
});

test("a prompt the tools cannot do answers in the thread, with a retry", async ({ page }) => {
  await createProject(page);
  await page.getByLabel("Prompt").fill("An intro");
  await page.getByTestId("send").click();
  await expect(page.locator('[data-testid="chat-message"][data-role="assistant"]')).toHaveAttribute(
    "data-status",
    "success",
  );

  await page.getByLabel("Prompt").fill("delete scene 9");
  await page.getByTestId("send").click();

  const failed = page.locator('[data-testid="chat-message"][data-status="error"]');
  await expect(failed).toContainText("There is no scene 9: the project has 1 scene.");
  await expect(failed.getByTestId("retry")).toBeVisible();
  await expect(page.getByTestId("composer-error")).toHaveCount(0);
  await expect(page.getByTestId("scene-card")).toHaveCount(1);
});
