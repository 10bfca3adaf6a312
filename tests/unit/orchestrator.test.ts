import { describe, expect, it } from "vitest";

import { welcomeSceneProps } from "~/lib/scene-props";
import type { Scene } from "~/server/db/schema";
import { Orchestrator } from "~/server/services/brain/orchestrator";

const now = new Date();
const project = (isWelcome: boolean) => ({ id: "p", ownerId: "u", title: "t", isWelcome, requestId: null, nextMessageSequence: 0, createdAt: now, updatedAt: now });
const scene = (order: number): Scene => ({
  id: `s${order}`,
  projectId: "p",
  kind: "generated",
  order,
  name: `Scene ${order}`,
  props: welcomeSceneProps,
  version: 1,
  createdAt: now,
  updatedAt: now,
});

describe("Orchestrator.decide", () => {
  const decide = (prompt: string, isWelcome = false) =>
    new Orchestrator().decide(prompt, { project: project(isWelcome), scenes: [scene(0), scene(1), scene(2)] });

  it.each([
    ["delete scene 3", "deleteScene", { position: 3 }],
    ["please remove scene 1", "deleteScene", { position: 1 }],
    ["make scene 2 blue", "editScene", { position: 2 }],
    ["change the title of scene 1 to 'Launch'", "editScene", { position: 1, patch: { title: "Launch" } }],
    ["a red intro", "addScene", {}],
    ["a scene about the number 2", "addScene", {}],
  ])("%s → %s", async (prompt, tool, input) => {
    const plan = await decide(prompt);
    expect(plan.tool).toBe(tool);
    expect(plan.input).toMatchObject(input);
  });

  it("always adds a scene while the project is a welcome project", async () => {
    expect((await decide("delete scene 1", true)).tool).toBe("addScene");
    expect((await decide("make scene 1 blue", true)).tool).toBe("addScene");
  });
});
