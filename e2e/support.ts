import { expect, type Page } from "@playwright/test";

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

/** Calls a tRPC query over HTTP with the page's cookies: the server's view, not the DOM's. */
export async function trpcQuery<T>(page: Page, path: string, input: unknown): Promise<T> {
  const query = encodeURIComponent(JSON.stringify({ json: input }));
  const response = await page.request.get(`/api/trpc/${path}?input=${query}`);
  expect(response.status(), `${path} answered ${response.status()}`).toBe(200);
  const body = (await response.json()) as { result: { data: { json: T } } };
  return body.result.data.json;
}

export interface SceneRow {
  id: string;
  kind: "welcome" | "generated";
  order: number;
}

export interface MessageRow {
  id: string;
  role: "user" | "assistant";
  status: string;
  sceneId: string | null;
}
