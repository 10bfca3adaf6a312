import { expect, test, type Page, type Request } from "@playwright/test";

import { forcedEnabled, trpcQuery } from "./support";

/**
 * Issue 12, item 7: a double-clicked "New project" made two projects. The button now sends
 * one client-minted requestId per intended creation and the server creates once. This spec
 * failed before the fix (two project cards).
 */

/**
 * Every project.create call the page sends (batched or not), and a way to wait until the
 * browser is done with each: answered (`requestfinished`) or given up (`requestfailed`: the
 * page navigating to the new project can abort the second click's request, which the server
 * has received and runs all the same). A response body, waited on directly, may never be
 * reported after that navigation.
 */
function recordCreates(page: Page) {
  const requests: Request[] = [];
  const over = new Set<Request>();
  page.on("request", (request) => {
    if (request.method() === "POST" && request.url().includes("project.create")) requests.push(request);
  });
  page.on("requestfinished", (request) => over.add(request));
  page.on("requestfailed", (request) => over.add(request));
  const calls = () =>
    requests.reduce((sum, request) => sum + new URL(request.url()).pathname.split(",").filter((path) => path.endsWith("project.create")).length, 0);
  const settled = () =>
    expect
      .poll(() => requests.filter((request) => !over.has(request)).length, { message: "every project.create request is over" })
      .toBe(0);
  return { calls, settled };
}

test("a double-clicked New project makes one project: one card, the server agrees, and no error is shown", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByText("No projects yet")).toBeVisible();
  const creates = recordCreates(page);

  await (await forcedEnabled(page.getByTestId("new-project"))).dblclick();

  await expect(page).toHaveURL(/\/projects\/[0-9a-f-]{36}\/generate$/);
  const projectId = /projects\/([0-9a-f-]{36})/.exec(page.url())?.[1];
  await creates.settled();
  expect(creates.calls(), "project.create calls the double-click sent").toBe(2);

  const projects = await trpcQuery<{ id: string }[]>(page, "project.list", undefined);
  expect(projects.map((project) => project.id)).toEqual([projectId]);

  await page.goto("/");
  await expect(page.getByTestId("project-card")).toHaveCount(1);
  await expect(page.getByTestId("project-card")).toHaveAttribute("data-project-id", projectId ?? "");
  await expect(page.getByText("Could not create the project")).toHaveCount(0);
});

test("New project again after coming back creates a second project (a new intent, a new requestId)", async ({ page }) => {
  await page.goto("/");
  await page.getByTestId("new-project").click();
  await expect(page).toHaveURL(/\/generate$/);
  const first = page.url();

  // Back by the app's own link (a client-side navigation, no reload).
  await page.getByRole("link", { name: "All projects" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId("project-card")).toHaveCount(1);
  await page.getByTestId("new-project").click();
  await expect(page).toHaveURL(/\/generate$/);
  expect(page.url()).not.toBe(first);

  await page.goto("/");
  await expect(page.getByTestId("project-card")).toHaveCount(2);
});
