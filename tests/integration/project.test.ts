import { randomUUID } from "node:crypto";

import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { welcomeSceneProps } from "~/lib/scene-props";
import { getDb } from "~/server/db";
import { projects, scenes, users } from "~/server/db/schema";
import { callerFor, expectTRPCError } from "../support/callers";

const countProjectsOf = async (userId: string) => {
  const [row] = await getDb()
    .select({ count: sql<number>`count(*)::int` })
    .from(projects)
    .where(eq(projects.ownerId, userId));
  return row?.count ?? 0;
};

describe("project.create", () => {
  it("creates a welcome project with one welcome scene at order 0", async () => {
    const project = await callerFor().project.create();

    expect(project.isWelcome).toBe(true);
    expect(project.title).toBe("Untitled video");
    const rows = await getDb().select().from(scenes).where(eq(scenes.projectId, project.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: "welcome", order: 0, version: 1, props: welcomeSceneProps });
  });

  it("trims the title and records the user", async () => {
    const userId = randomUUID();
    const project = await callerFor(userId).project.create({ title: "  Launch teaser  " });

    expect(project.title).toBe("Launch teaser");
    expect(project.ownerId).toBe(userId);
    expect(await getDb().select().from(users).where(eq(users.id, userId))).toHaveLength(1);
  });

  it.each([
    ["an empty title", { title: "" }],
    ["a blank title", { title: "   " }],
    ["a 121-character title", { title: "x".repeat(121) }],
    ["a number", { title: 42 }],
    ["null", { title: null }],
  ])("rejects %s with BAD_REQUEST and writes nothing", async (_name, input) => {
    const userId = randomUUID();
    const error = await expectTRPCError(
      callerFor(userId).project.create(input as never),
      "BAD_REQUEST",
    );

    expect(error.message).toMatch(/title/i);
    expect(await countProjectsOf(userId)).toBe(0);
    expect(await getDb().select().from(users).where(eq(users.id, userId))).toHaveLength(0);
  });

  it("accepts 120 characters", async () => {
    const project = await callerFor().project.create({ title: "y".repeat(120) });
    expect(project.title).toHaveLength(120);
  });

  it("answers UNAUTHORIZED without a session and writes nothing", async () => {
    const before = await getDb().select({ count: sql<number>`count(*)::int` }).from(projects);
    await expectTRPCError(callerFor(null).project.create(), "UNAUTHORIZED");
    const after = await getDb().select({ count: sql<number>`count(*)::int` }).from(projects);
    expect(after[0]?.count).toBe(before[0]?.count);
  });
});

describe("project.list", () => {
  it("lists only the caller's projects, newest first, with scene counts", async () => {
    const alice = callerFor();
    const first = await alice.project.create({ title: "First" });
    const second = await alice.project.create({ title: "Second" });
    await callerFor().project.create({ title: "Someone else's" });

    const list = await alice.project.list();

    expect(list.map((p) => p.id)).toEqual([second.id, first.id]);
    expect(list.every((p) => p.sceneCount === 1 && p.isWelcome)).toBe(true);
  });

  it("is empty for a new user", async () => {
    expect(await callerFor().project.list()).toEqual([]);
  });
});

describe("project.get", () => {
  it("returns the caller's project", async () => {
    const caller = callerFor();
    const created = await caller.project.create({ title: "Mine" });
    expect(await caller.project.get({ projectId: created.id })).toMatchObject({
      id: created.id,
      title: "Mine",
    });
  });

  it("answers NOT_FOUND for an id that does not exist", async () => {
    await expectTRPCError(callerFor().project.get({ projectId: randomUUID() }), "NOT_FOUND");
  });

  it.each([["not-a-uuid"], [""], [123], [undefined]])(
    "answers BAD_REQUEST for projectId %j",
    async (projectId) => {
      await expectTRPCError(callerFor().project.get({ projectId } as never), "BAD_REQUEST");
    },
  );
});
