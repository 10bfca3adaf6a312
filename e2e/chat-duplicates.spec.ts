import { expect, test, type Page } from "@playwright/test";

import { createProject } from "./support";

/**
 * Records, for the whole exchange, the largest number of copies of any one user
 * message on screen at the same moment. Installed before the page loads, it sees
 * every DOM change, so a duplicate shown for a single frame still counts.
 */
function recordMaxCopies() {
  const w = window as unknown as { maxCopies: number };
  w.maxCopies = 0;
  const measure = () => {
    const counts = new Map<string, number>();
    for (const element of document.querySelectorAll('[data-testid="chat-message"][data-role="user"]')) {
      const text = element.textContent?.trim() ?? "";
      counts.set(text, (counts.get(text) ?? 0) + 1);
    }
    w.maxCopies = Math.max(w.maxCopies, ...counts.values());
  };
  new MutationObserver(measure).observe(document, { childList: true, subtree: true, characterData: true });
}

const PROMPT = "A slow teal outro";
const serverCopy = (page: Page) =>
  page.locator('[data-testid="chat-message"][data-role="user"]:not([data-optimistic])', { hasText: PROMPT });

/**
 * Sends a prompt and holds the generation's response in the browser until the server's copy
 * of the user message is on screen: the window in which an optimistic copy and the server's
 * copy could both be shown is forced open, whatever the machine's speed. The request itself
 * reaches the real server and runs; only its answer waits.
 */
async function sendAndWaitForReply(page: Page) {
  let release: () => void = () => undefined;
  const serverCopyShown = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/api\/trpc\/[^?]*generateScene/, async (route) => {
    const response = await route.fetch();
    await serverCopyShown;
    await route.fulfill({ response });
  });

  await page.getByLabel("Prompt").fill(PROMPT);
  await page.getByTestId("send").click();
  await expect(page.getByTestId("typing-indicator")).toBeVisible();
  await expect(serverCopy(page)).toBeVisible();
  release();

  await expect(page.locator('[data-testid="chat-message"][data-role="assistant"]:not([data-optimistic])')).toHaveAttribute(
    "data-status",
    "success",
    { timeout: 15_000 },
  );
  await expect(page.locator('[data-optimistic="true"]')).toHaveCount(0);
  return page.evaluate(() => (window as unknown as { maxCopies: number }).maxCopies);
}

test.describe("a slow server never shows a message twice", () => {
  test("fixed chat panel: at most one copy of each message, throughout", async ({ page }) => {
    await page.addInitScript(recordMaxCopies);
    await createProject(page);

    expect(await sendAndWaitForReply(page)).toBe(1);
  });

  test("the lab's naive chat panel shows two copies, so the observer can see the bug", async ({ page }) => {
    await page.addInitScript(recordMaxCopies);
    const projectId = await createProject(page);
    await page.goto(`/lab/projects/${projectId}?strategy=locked&chat=naive`);

    expect(await sendAndWaitForReply(page)).toBe(2);
  });
});
