import { expect, type Locator, type Page } from "@playwright/test";

import {
  checkProject,
  lostSceneIds,
  type InvariantOptions,
  type MessageFacts,
  type ProjectFacts,
  type SceneFacts,
} from "~/lib/invariants";

/** The session secret both e2e servers sign cookies with (playwright.config.ts passes it on). */
export const E2E_SESSION_SECRET = process.env.SESSION_SECRET ?? "e2e-only-secret-not-for-production-use-000";

/** Base URL of the first app instance (Playwright's baseURL) and of the second one. */
export const instanceURL = (instance: 1 | 2) => {
  const port = instance === 1 ? process.env.E2E_PORT : process.env.E2E_PORT_2;
  if (!port) throw new Error(`E2E_PORT${instance === 2 ? "_2" : ""} is not set: run the suite with npm run test:e2e`);
  return `http://127.0.0.1:${port}`;
};

/** Creates a project from the home page and returns its id, with the workspace open. */
export async function createProject(page: Page) {
  await page.goto("/");
  await page.getByTestId("new-project").click();
  await expect(page).toHaveURL(/\/projects\/[0-9a-f-]{36}\/generate/);
  await expect(page.getByTestId("scene-card")).toHaveCount(1);
  const projectId = /projects\/([0-9a-f-]{36})/.exec(page.url())?.[1];
  if (!projectId) throw new Error(`no project id in ${page.url()}`);
  return projectId;
}

/** Opens a project's workspace and waits for its scenes. */
export async function openWorkspace(page: Page, projectId: string, baseURL = "") {
  await page.goto(`${baseURL}/projects/${projectId}/generate`);
  await expect(page.getByTestId("scene-card").first()).toBeVisible();
}

/** Opens the Race Lab's copy of a project's workspace with these settings (`?strategy=…`) and waits for its scenes. */
export async function openLabWorkspace(page: Page, projectId: string, search = "") {
  await page.goto(`/lab/projects/${projectId}${search}`);
  await expect(page.getByTestId("scene-card").first()).toBeVisible();
}

/**
 * The send button, forced to stay enabled: the app may disable it while sending (UX), but
 * no test may depend on that. The server is the guard, so every click must reach the app.
 * A MutationObserver strips `disabled` again whenever a re-render sets it, which happens
 * (in a microtask) before the second click of a double-click is dispatched.
 */
export function sendButton(page: Page): Promise<Locator> {
  return forcedEnabled(page.getByTestId("send"));
}

/** Keeps `button` enabled whatever the app renders (see `sendButton`), and returns it. */
export async function forcedEnabled(button: Locator): Promise<Locator> {
  await button.evaluate((element) => {
    const enable = () => {
      if (element.hasAttribute("disabled")) element.removeAttribute("disabled");
    };
    enable();
    new MutationObserver(enable).observe(element, { attributes: true, attributeFilter: ["disabled"] });
  });
  return button;
}

/**
 * Installed before the page loads (page.addInitScript): records in `window.maxChatMessages`
 * the most chat messages ever on screen at once, so a ghost shown for one frame counts.
 */
export function recordMaxChatMessages() {
  const w = window as unknown as { maxChatMessages: number };
  w.maxChatMessages = 0;
  const measure = () => {
    w.maxChatMessages = Math.max(w.maxChatMessages, document.querySelectorAll('[data-testid="chat-message"]').length);
  };
  new MutationObserver(measure).observe(document, { childList: true, subtree: true });
}

export const maxChatMessages = (page: Page) =>
  page.evaluate(() => (window as unknown as { maxChatMessages: number }).maxChatMessages);

/** Calls a tRPC query over HTTP with the page's cookies: the server's view, not the DOM's. */
export async function trpcQuery<T>(page: Page, path: string, input: unknown, baseURL = ""): Promise<T> {
  const query = encodeURIComponent(JSON.stringify({ json: input }));
  const response = await page.request.get(`${baseURL}/api/trpc/${path}?input=${query}`);
  expect(response.status(), `${path} answered ${response.status()}`).toBe(200);
  const body = (await response.json()) as { result: { data: { json: T } } };
  return body.result.data.json;
}

export interface TrpcAnswer<T> {
  status: number;
  data?: T;
  error?: { message: string; code: string; data?: { zodError?: unknown } };
}

/**
 * Calls a tRPC mutation the way the fetch adapter takes a single (unbatched) call:
 * POST /api/trpc/<path> with the superjson envelope `{"json": input}`. `page.request`
 * shares the browser context's cookies, and cookies ignore the port, so this is the same
 * user on either app instance.
 */
export async function trpcMutation<T>(page: Page, baseURL: string, path: string, input: unknown): Promise<TrpcAnswer<T>> {
  const response = await page.request.post(`${baseURL}/api/trpc/${path}`, { data: { json: input } });
  const body = (await response.json()) as {
    result?: { data: { json: T } };
    error?: { json: NonNullable<TrpcAnswer<T>["error"]> };
  };
  return { status: response.status(), data: body.result?.data.json, error: body.error?.json };
}

export type ProjectRow = ProjectFacts;

export type SceneRow = Pick<SceneFacts, "id" | "kind" | "order">;

/** A message as tRPC answers it: the invariants' fields, no projectId needed, and its times. */
export interface MessageRow extends Omit<MessageFacts, "projectId"> {
  createdAt: string;
  updatedAt: string;
}

export interface ProjectState {
  project: ProjectRow;
  messages: MessageRow[];
  scenes: SceneRow[];
}

/**
 * The project, its messages and its scenes as the server has them. Three requests are three
 * snapshots, so the order matters: messages FIRST, then the rest. A reply is marked done
 * after (or in the same transaction as) its scene writes, so scenes read after a settled
 * message list include every write those messages describe. Read in parallel, a scenes
 * answer from just before an apply committed could pair with messages from just after it,
 * and the check would report "lost" scenes that exist (this helper's own read skew).
 */
export async function projectState(page: Page, projectId: string, baseURL = ""): Promise<ProjectState> {
  const messages = await trpcQuery<MessageRow[]>(page, "generation.getChatMessages", { projectId }, baseURL);
  const [project, scenes] = await Promise.all([
    trpcQuery<ProjectRow>(page, "project.get", { projectId }, baseURL),
    trpcQuery<SceneRow[]>(page, "generation.getProjectScenes", { projectId }, baseURL),
  ]);
  return { project, messages, scenes };
}

const isUnfinished = (message: MessageRow) => message.status === "pending" || message.status === "building";

/**
 * Waits (on the server's data, never a sleep) until the project has `exchanges` assistant
 * replies and none is still pending or building, then returns that state.
 */
export async function waitForExchanges(page: Page, projectId: string, exchanges: number, baseURL = "") {
  let state: ProjectState | undefined;
  await expect
    .poll(
      async () => {
        state = await projectState(page, projectId, baseURL);
        const replies = state.messages.filter((message) => message.role === "assistant");
        return `${replies.length} replies, ${state.messages.filter(isUnfinished).length} unfinished`;
      },
      { message: `project ${projectId} to settle with ${exchanges} replies`, timeout: 15_000, intervals: [100, 200] },
    )
    .toBe(`${exchanges} replies, 0 unfinished`);
  if (!state) throw new Error("unreachable: the poll ran at least once");
  return state;
}

/** The app's invariants (src/lib/invariants.ts) on the rows the server answered. */
export const checkState = (state: ProjectState, options?: InvariantOptions) => checkProject(state, options);

/** Scene ids that a reply points at but that no longer exist: lost scenes, as the invariants see them. */
export function lostScenes(state: ProjectState) {
  return lostSceneIds(checkState(state, { settled: false }));
}

/** How many scenes the project's replies point at that are gone, once every exchange has settled. */
export async function countLostScenes(page: Page, projectId: string, exchanges: number, baseURL = "") {
  return lostScenes(await waitForExchanges(page, projectId, exchanges, baseURL)).length;
}

/**
 * The app's invariants (src/lib/invariants.ts), checked on the server's data once
 * `exchanges` exchanges have settled: every scene a reply points at exists; after a
 * successful generation the welcome scene is gone and `isWelcome` is false; orders,
 * sequences and requestIds are unique; one reply per message; no orphan scene; nothing
 * left pending or building.
 */
export async function expectNoLoss(page: Page, projectId: string, exchanges: number, baseURL = "") {
  const state = await waitForExchanges(page, projectId, exchanges, baseURL);
  const violations = checkState(state).violations.map((violation) => violation.message);
  expect(violations, `invariants of project ${projectId}`).toEqual([]);
  return state;
}

/** Replies in the order they finished (by updatedAt). */
export function repliesByCompletion(messages: MessageRow[]) {
  return messages
    .filter((message) => message.role === "assistant")
    .sort((a, b) => Date.parse(a.updatedAt) - Date.parse(b.updatedAt));
}

/**
 * Proof that two exchanges really overlapped: every user message was claimed (committed)
 * before the first reply finished. Without it a "concurrent" test could pass by running
 * the two requests one after the other.
 */
export function expectOverlapped(messages: MessageRow[]) {
  const lastClaim = Math.max(...messages.filter((m) => m.role === "user").map((m) => Date.parse(m.createdAt)));
  const firstReply = Math.min(...messages.filter((m) => m.role === "assistant").map((m) => Date.parse(m.updatedAt)));
  expect(lastClaim, "the second request was claimed before the first one finished").toBeLessThan(firstReply);
}
