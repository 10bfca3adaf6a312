import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { welcomeSceneProps } from "~/lib/scene-props";
import { getDb } from "~/server/db";
import { messages, scenes } from "~/server/db/schema";
import { INTERRUPTED_REPLY } from "~/server/services/generation/recovery";
import { callerFor, expectTRPCError } from "../support/callers";

describe("generation.getProjectScenes", () => {
  it("returns the scenes ordered by order", async () => {
    const caller = callerFor();
    const project = await caller.project.create();
    await getDb()
      .insert(scenes)
      .values(
        [7, 3].map((order) => ({
          projectId: project.id,
          kind: "generated" as const,
          order,
          name: `Scene at ${order}`,
          props: { ...welcomeSceneProps, title: `Order ${order}` },
        })),
      );

    const result = await caller.generation.getProjectScenes({ projectId: project.id });

    expect(result.map((scene) => scene.order)).toEqual([0, 3, 7]);
    expect(result[0]?.kind).toBe("welcome");
  });

  it("answers BAD_REQUEST with the zod issues for a malformed id", async () => {
    const error = await expectTRPCError(
      callerFor().generation.getProjectScenes({ projectId: "1; drop table scenes" }),
      "BAD_REQUEST",
    );
    expect(error.message).toMatch(/uuid/i);
  });
});

describe("generation.getChatMessages", () => {
  it("is empty for a new project", async () => {
    const caller = callerFor();
    const project = await caller.project.create();
    expect(await caller.generation.getChatMessages({ projectId: project.id })).toEqual([]);
  });

  it("returns messages ordered by sequence, each once", async () => {
    const caller = callerFor();
    const project = await caller.project.create();
    await getDb()
      .insert(messages)
      .values(
        [3, 1, 2, 0].map((sequence) => ({
          projectId: project.id,
          role: sequence % 2 === 0 ? ("user" as const) : ("assistant" as const),
          content: `message ${sequence}`,
          status: "success" as const,
          sequence,
        })),
      );

    const result = await caller.generation.getChatMessages({ projectId: project.id });

    expect(result.map((message) => message.sequence)).toEqual([0, 1, 2, 3]);
    expect(new Set(result.map((message) => message.id)).size).toBe(4);
  });

  it("shows a reply whose lease ran out as interrupted, and writes nothing (before: each read ran an UPDATE)", async () => {
    const caller = callerFor();
    const project = await caller.project.create();
    const db = getDb();
    await db.insert(messages).values([
      { projectId: project.id, role: "user", content: "A red intro", status: "success", sequence: 0 },
      { projectId: project.id, role: "assistant", content: "", status: "building", sequence: 1 },
    ]);
    await db.update(messages).set({ updatedAt: sql`now() - interval '1 hour'` }).where(eq(messages.projectId, project.id));
    const stored = () => db.select().from(messages).where(eq(messages.projectId, project.id)).orderBy(messages.sequence);
    const before = await stored();

    const shown = await caller.generation.getChatMessages({ projectId: project.id });

    expect(shown[1]).toMatchObject({ status: "error", error: INTERRUPTED_REPLY, content: INTERRUPTED_REPLY });
    expect(await stored()).toEqual(before);
  });
});
