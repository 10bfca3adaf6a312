import { expect, test, type Page } from "@playwright/test";

/**
 * The Race Lab's "All interleavings" view (/lab): the server runs race-kit's explorer over
 * every interleaving of the welcome reset's two requests for one strategy; the page shows
 * one cell per interleaving and the totals, and a cell replays on the two-lane timeline.
 */

// An exploration runs a few hundred real interleavings, one after the other.
const EXPLORE_TIMEOUT_MS = 90_000;

const cells = (page: Page, verdict?: string) =>
  page.locator(verdict ? `[data-testid="interleaving-cell"][data-verdict="${verdict}"]` : '[data-testid="interleaving-cell"]');

async function exploreStrategy(page: Page, strategy: string) {
  await page.goto("/lab");
  const section = page.getByTestId("all-interleavings");
  await expect(section.getByRole("heading", { name: "All interleavings", level: 2 })).toBeVisible();
  await page.getByTestId(`explore-strategy-${strategy}`).check();
  await page.getByTestId("explore-button").click();
  const totals = page.getByTestId("explore-totals");
  await expect(totals).toHaveAttribute("data-strategy", strategy, { timeout: EXPLORE_TIMEOUT_MS });
  return totals;
}

const noOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

test("naive at 390 px: lost cells, the totals, a lost cell replayed on the two-lane timeline, no overflow", async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 390, height: 844 });
  const totals = await exploreStrategy(page, "naive");

  const text = (await totals.textContent()) ?? "";
  const match = /^(\d+) feasible of (\d+) orderings, all explored: (\d+) lost, (\d+) blocked, (\d+) ok$/.exec(text);
  expect(match, `totals line: ${text}`).not.toBeNull();
  const [feasible, total, lost, blocked, ok] = (match ?? []).slice(1).map(Number) as [number, number, number, number, number];
  expect(lost).toBeGreaterThan(0);
  expect(feasible).toBeLessThanOrEqual(total);
  expect(lost + blocked + ok).toBe(feasible);
  await expect(cells(page)).toHaveCount(feasible);
  await expect(cells(page, "broken")).toHaveCount(lost);
  expect(await noOverflow(page)).toBeLessThanOrEqual(390);

  // A cell says what it is to a screen reader: its schedule and its verdict.
  const cell = cells(page, "broken").first();
  const schedule = (await cell.getAttribute("data-schedule")) ?? "";
  expect(schedule).toMatch(/^[AB]\d+( [AB]\d+)+$/);
  await expect(cell).toHaveAccessibleName(new RegExp(`^Interleaving \\d+, ${schedule}: lost$`));

  await cell.click();
  await expect(cell).toHaveAttribute("aria-pressed", "true");
  const detail = page.getByTestId("interleaving-detail");
  await expect(detail).toHaveAttribute("data-schedule", schedule);
  const verdict = detail.getByTestId("replay-verdict");
  await expect(verdict).toHaveAttribute("data-outcome", "lost", { timeout: 30_000 });
  await expect(verdict).toHaveAttribute("data-verdict", "broken");
  await expect(verdict).toContainText(/Scene lost: “(Red intro|Blue outro)” \(request [AB]\) was deleted by request [AB]/);

  const lanes = detail.getByTestId("timeline").getByTestId("lane");
  await expect(lanes).toHaveCount(2);
  await expect(lanes.nth(0)).toHaveAttribute("data-lane", "A");
  await expect(lanes.nth(1)).toHaveAttribute("data-lane", "B");
  // Every statement of the schedule is a mark on its lane, and the delete that lost the scene is marked.
  for (const lane of ["A", "B"]) {
    const steps = schedule.split(" ").filter((step) => step.startsWith(lane)).length;
    await expect(detail.locator(`[data-testid="lane"][data-lane="${lane}"] [data-testid="step"]`)).toHaveCount(steps);
  }
  await expect(detail.locator('[data-culprit="true"]')).toHaveAttribute("data-kind", "delete");
  await expect(detail.getByTestId("step-detail")).toContainText("The loss:");
  await expect(detail.locator('[data-testid="replay-reply"][data-scene-exists="false"]')).toHaveCount(1);

  expect(await noOverflow(page)).toBeLessThanOrEqual(390);
});

test("keyboard: the grid is one Tab stop, arrow keys move, Enter replays (compare-and-set loses nothing)", async ({
  page,
}) => {
  test.setTimeout(180_000);
  const totals = await exploreStrategy(page, "compare-and-set");
  await expect(totals).toContainText(/all explored: 0 lost, \d+ blocked, \d+ ok$/);
  await expect(cells(page, "broken")).toHaveCount(0);

  const first = cells(page).first();
  await expect(first).toHaveAttribute("tabindex", "0");
  await expect(cells(page).nth(1)).toHaveAttribute("tabindex", "-1");
  await first.focus();
  await page.keyboard.press("ArrowRight");
  const second = cells(page).nth(1);
  await expect(second).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(second).toHaveAttribute("aria-pressed", "true");

  const detail = page.getByTestId("interleaving-detail");
  await expect(detail).toHaveAttribute("data-schedule", (await second.getAttribute("data-schedule")) ?? "");
  await expect(detail.getByTestId("replay-verdict")).toHaveAttribute("data-verdict", (await second.getAttribute("data-verdict")) ?? "", {
    timeout: 30_000,
  });
  await expect(detail.getByTestId("replay-verdict")).not.toHaveAttribute("data-outcome", "lost");
  await expect(detail.getByTestId("timeline").getByTestId("lane")).toHaveCount(2);

  // A blocked interleaving shows its lock wait on the timeline.
  const blocked = cells(page, "blocked").first();
  await blocked.click();
  await expect(detail.getByTestId("replay-verdict")).toHaveAttribute("data-verdict", "blocked", { timeout: 30_000 });
  await expect(detail.locator('[data-testid="step"][data-kind="wait"]').first()).toBeVisible();
});
