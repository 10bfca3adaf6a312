import { expect, test } from "@playwright/test";

test("create a project, see the welcome scene, and keep it after a reload", async ({ page, context }) => {
  await page.goto("/");
  await expect(page.getByText("No projects yet")).toBeVisible();

  await page.getByTestId("new-project").click();
  await expect(page).toHaveURL(/\/projects\/[0-9a-f-]{36}\/generate$/);
  const projectUrl = page.url();

  const welcome = page.locator('[data-testid="scene-card"][data-scene-kind="welcome"]');
  await expect(welcome).toHaveCount(1);
  await expect(welcome).toContainText("Welcome to your video");
  await expect(page.getByTestId("scene-card")).toHaveCount(1);

  await page.reload();
  await expect(page).toHaveURL(projectUrl);
  await expect(welcome).toHaveCount(1);
  await expect(page.getByTestId("scene-card")).toHaveCount(1);

  await page.goto("/");
  await expect(page.getByTestId("project-card")).toHaveCount(1);

  const [session] = (await context.cookies()).filter((cookie) => cookie.name === "rs_session");
  expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax" });
});

test("another browser cannot open someone else's project", async ({ page, browser }) => {
  await page.goto("/");
  await page.getByTestId("new-project").click();
  await expect(page).toHaveURL(/\/generate$/);
  const projectUrl = page.url();

  const stranger = await browser.newContext();
  const strangerPage = await stranger.newPage();
  const response = await strangerPage.goto(projectUrl);
  expect(response?.status()).toBe(404);
  await expect(strangerPage.getByText("Project not found")).toBeVisible();
  await stranger.close();
});

test("an unknown project id shows the not-found page", async ({ page }) => {
  const response = await page.goto("/projects/not-a-uuid/generate");
  expect(response?.status()).toBe(404);
});
