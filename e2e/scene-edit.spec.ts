import { expect, test } from "@playwright/test";

import { createProject, trpcQuery } from "./support";

interface SceneRow {
  id: string;
  version: number;
  props: { title: string; subtitle: string };
}

test("two tabs edit the same scene: the second sees the conflict, and nothing is lost silently", async ({
  page,
  context,
}) => {
  // Two tabs and a dozen UI steps: ~20 s on a loaded 2-core CI machine, and once 32.7 s (every
  // step slower, none stuck), past the one-tab default of 30 s.
  test.setTimeout(60_000);
  const projectId = await createProject(page);
  const second = await context.newPage();
  await second.goto(page.url());

  await page.getByTestId("edit-scene").click();
  await second.getByTestId("edit-scene").click();

  await page.getByLabel("Title", { exact: true }).fill("Title from tab one");
  await page.getByTestId("save-scene").click();
  await expect(page.getByTestId("scene-editor")).toHaveCount(0);

  await second.getByLabel("Subtitle", { exact: true }).fill("Subtitle from tab two");
  await second.getByTestId("save-scene").click();

  const conflict = second.getByTestId("scene-conflict");
  await expect(conflict).toContainText("now version 2");
  await expect(conflict.locator('[data-field="title"]')).toContainText("Title from tab one");
  await expect(conflict.locator('[data-field="subtitle"]')).toContainText("Subtitle from tab two");

  let [scene] = await trpcQuery<SceneRow[]>(page, "generation.getProjectScenes", { projectId });
  expect(scene).toMatchObject({ version: 2, props: { title: "Title from tab one" } });
  expect(scene?.props.subtitle).not.toBe("Subtitle from tab two");

  await second.getByTestId("reapply").click();
  await expect(second.getByTestId("scene-editor")).toHaveCount(0);

  [scene] = await trpcQuery<SceneRow[]>(page, "generation.getProjectScenes", { projectId });
  expect(scene).toMatchObject({
    version: 3,
    props: { title: "Title from tab one", subtitle: "Subtitle from tab two" },
  });
});
