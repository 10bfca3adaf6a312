import { expect, test, type Page } from "@playwright/test";

import { lostScenes, projectState } from "./support";

/**
 * The Race Lab page (/lab): the server forces each strategy's losing interleaving (pause
 * points, a gate holding the row lock) and the page shows the verdicts, the timelines and
 * the database afterwards. The naive run must show the loss and the locked run none, on
 * the page and in the database behind it.
 */

const verdict = (page: Page, strategy: string) => page.locator(`[data-testid="verdict"][data-strategy="${strategy}"]`);
const run = (page: Page, strategy: string) => page.locator(`[data-testid="run"][data-strategy="${strategy}"]`);

/** Selects exactly these strategies (the page starts with naive + locked). */
async function chooseStrategies(page: Page, strategies: string[]) {
  for (const name of ["naive", "transaction-only", "locked", "compare-and-set", "single-statement", "lock-across-model-call"]) {
    const box = page.getByTestId(`strategy-${name}`);
    if (strategies.includes(name)) await box.check();
    else await box.uncheck();
  }
}

async function raceNaiveAndLocked(page: Page) {
  await page.goto("/lab");
  await expect(page.getByRole("heading", { name: "Race Lab", level: 1 })).toBeVisible();
  await page.getByTestId("scenario-welcome-reset").check();
  await chooseStrategies(page, ["naive", "locked"]);
  await page.getByTestId("race-button").click();
  await expectNaiveLostLockedDidNot(page);
}

async function expectNaiveLostLockedDidNot(page: Page) {
  await expect(verdict(page, "naive")).toHaveAttribute("data-lost", "true", { timeout: 20_000 });
  await expect(verdict(page, "naive")).toContainText("lost");
  await expect(verdict(page, "naive")).toContainText("“Red intro” (request A) was deleted by request B");
  await expect(verdict(page, "locked")).toHaveAttribute("data-lost", "false");
  await expect(verdict(page, "locked")).toHaveAttribute("data-outcome", "safe");
  await expect(verdict(page, "locked")).toContainText("No data lost");
}

/** The project a run card links to. */
async function projectOf(page: Page, strategy: string) {
  const href = await run(page, strategy).getByRole("link", { name: /Open this project/ }).getAttribute("href");
  const projectId = /projects\/([0-9a-f-]{36})\/generate/.exec(href ?? "")?.[1];
  if (!projectId) throw new Error(`no project link in the ${strategy} run: ${href}`);
  return projectId;
}

test("welcome reset: the naive run loses a scene, the locked run loses none, with timelines and the database after", async ({
  page,
}) => {
  await raceNaiveAndLocked(page);

  for (const strategy of ["naive", "locked"]) {
    const card = run(page, strategy);
    const lanes = card.getByTestId("timeline").getByTestId("lane");
    await expect(lanes).toHaveCount(2);
    for (const lane of await lanes.all()) {
      expect(await lane.getByTestId("step").count(), "steps in a lane").toBeGreaterThan(5);
      await expect(lane.locator('[data-kind="model"]')).toHaveCount(1);
    }
    // Every run has both requests' scenes attempted; the table shows what is left.
    await expect(card.getByTestId("db-state")).toBeVisible();
  }
  await expect(run(page, "naive").getByTestId("schedule")).toHaveAttribute("data-schedule", "sequential");
  await expect(run(page, "locked").getByTestId("schedule")).toHaveAttribute("data-schedule", "gated");
  await expect(run(page, "locked").getByTestId("gate")).toBeVisible();

  // The naive run points at the statement that did it, with its SQL.
  const culprit = run(page, "naive").locator('[data-testid="lane"][data-lane="B"] [data-culprit="true"]');
  await expect(culprit).toHaveAttribute("data-kind", "delete");
  await expect(run(page, "naive").getByTestId("step-detail")).toContainText('delete from "scenes"');
  await expect(run(page, "naive").locator('[data-testid="state-message"][data-scene-exists="false"]')).toHaveCount(1);
  await expect(run(page, "locked").locator('[data-testid="state-message"][data-scene-exists="false"]')).toHaveCount(0);
  await expect(run(page, "locked").getByTestId("state-scene")).toHaveCount(2);

  // The same verdicts in the database, read through the app's own API.
  const naive = await projectState(page, await projectOf(page, "naive"));
  expect(lostScenes(naive)).toHaveLength(1);
  const locked = await projectState(page, await projectOf(page, "locked"));
  expect(lostScenes(locked)).toEqual([]);
  expect(locked.scenes.map((scene) => scene.kind)).toEqual(["generated", "generated"]);
  expect(locked.project.isWelcome).toBe(false);
});

test("welcome reset: transaction-only loses a scene under the gate, compare-and-set does not", async ({ page }) => {
  await page.goto("/lab");
  await chooseStrategies(page, ["transaction-only", "compare-and-set"]);
  await page.getByTestId("race-button").click();
  await expect(verdict(page, "transaction-only")).toHaveAttribute("data-lost", "true", { timeout: 20_000 });
  await expect(verdict(page, "transaction-only")).toContainText(/Scene lost: “(Red intro|Blue outro)”/);
  await expect(verdict(page, "compare-and-set")).toHaveAttribute("data-lost", "false");
  await expect(run(page, "transaction-only").getByTestId("schedule")).toHaveAttribute("data-schedule", "gated");
});

test("tool registration: the naive orchestrator registers each tool 110 times, the fixed registry once", async ({
  page,
}) => {
  await page.goto("/lab");
  await page.getByTestId("scenario-tool-registration").check();
  await page.getByTestId("race-button").click();

  const naive = page.locator('[data-testid="tool-design"][data-design="naive"] [data-testid="tool-count"]');
  const fixed = page.locator('[data-testid="tool-design"][data-design="fixed"] [data-testid="tool-count"]');
  await expect(naive).toHaveCount(3, { timeout: 20_000 });
  await expect(fixed).toHaveCount(3);
  for (const count of await naive.all()) expect(Number(await count.getAttribute("data-count"))).toBeGreaterThan(1);
  for (const count of await fixed.all()) await expect(count).toHaveAttribute("data-count", "1");
  await expect(page.locator('[data-testid="tool-verdict"][data-design="naive"]')).toHaveAttribute("data-ok", "false");
  await expect(page.locator('[data-testid="tool-verdict"][data-design="fixed"]')).toHaveAttribute("data-ok", "true");
});

test("chat state: explained, with links that open a project with either chat panel", async ({ page }) => {
  await page.goto("/lab");
  await page.getByTestId("scenario-chat-state").check();
  await expect(page.getByTestId("chat-illustration")).toBeVisible();
  await expect(page.getByTestId("race-button")).toHaveCount(0);
  await page.getByTestId("open-naive-chat").click();
  await expect(page).toHaveURL(/\/lab\/projects\/[0-9a-f-]{36}\?strategy=locked&chat=naive$/);
  await expect(page.getByTestId("lab-banner")).toContainText("optimistic copy");
});

test("keyboard: Tab reaches the Race button, Enter races, arrow keys walk a lane", async ({ page }) => {
  await page.goto("/lab");
  await expect(page.getByTestId("race-button")).toBeVisible();
  await page.locator("body").focus();

  let reached = false;
  for (let presses = 0; presses < 30 && !reached; presses++) {
    await page.keyboard.press("Tab");
    reached = await page.evaluate(() => document.activeElement?.getAttribute("data-testid") === "race-button");
  }
  expect(reached, "the Race button is reachable with Tab").toBe(true);
  // The app's focus style is visible on it.
  const outline = await page.getByTestId("race-button").evaluate((element) => getComputedStyle(element).outlineStyle);
  expect(outline).not.toBe("none");

  await page.keyboard.press("Enter");
  await expectNaiveLostLockedDidNot(page);

  // A lane is one Tab stop; the arrow keys move between its steps and show each one's SQL.
  const firstStep = run(page, "locked").locator('[data-testid="lane"][data-lane="A"] [data-testid="step"][tabindex="0"]');
  await firstStep.focus();
  const detail = run(page, "locked").getByTestId("step-detail");
  const before = await detail.textContent();
  await page.keyboard.press("ArrowRight");
  await expect(detail).not.toHaveText(before ?? "");
  await expect(detail).toContainText("Request A");
  const focused = await page.evaluate(() => document.activeElement?.getAttribute("data-testid"));
  expect(focused).toBe("step");
});

test("at 390 px the page has no horizontal overflow, before and after a race", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/lab");
  const scrollWidth = () => page.evaluate(() => document.documentElement.scrollWidth);
  expect(await scrollWidth()).toBeLessThanOrEqual(390);

  await page.getByTestId("race-button").click();
  await expectNaiveLostLockedDidNot(page);
  expect(await scrollWidth()).toBeLessThanOrEqual(390);

  await page.getByTestId("scenario-tool-registration").check();
  await page.getByTestId("race-button").click();
  await expect(page.getByTestId("tool-count").first()).toBeVisible({ timeout: 20_000 });
  expect(await scrollWidth()).toBeLessThanOrEqual(390);
});

test("the home page and the workspace link to the Race Lab, the workspace through the lab's copy of itself", async ({ page }) => {
  await page.goto("/");
  await page.getByTestId("race-lab-link").click();
  await expect(page).toHaveURL(/\/lab$/);

  await page.goto("/");
  await page.getByTestId("new-project").click();
  await expect(page).toHaveURL(/\/projects\/[0-9a-f-]{36}\/generate/);
  const projectId = /projects\/([0-9a-f-]{36})/.exec(page.url())?.[1];
  await page.getByTestId("lab-workspace-link").click();
  await expect(page).toHaveURL(new RegExp(`/lab/projects/${projectId}$`));
  await expect(page.getByTestId("lab-switcher")).toBeVisible();
  await page.getByTestId("race-lab-link").click();
  await expect(page).toHaveURL(/\/lab$/);
  await expect(page.getByRole("heading", { name: "Race Lab", level: 1 })).toBeVisible();
});
