import { randomUUID } from "node:crypto";

import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { getDb } from "~/server/db";
import { messages, projects, scenes } from "~/server/db/schema";
import { callerFor, expectTRPCError } from "../support/callers";

type Caller = ReturnType<typeof callerFor>;

/** Every procedure that takes a project id. Add new ones here: the test covers them all. */
const projectScopedProcedures: Record<string, (caller: Caller, projectId: string) => Promise<unknown>> = {
  "project.get": (caller, projectId) => caller.project.get({ projectId }),
  "generation.getChatMessages": (caller, projectId) => caller.generation.getChatMessages({ projectId }),
  "generation.getProjectScenes": (caller, projectId) => caller.generation.getProjectScenes({ projectId }),
  "generation.generateScene": (caller, projectId) =>
    caller.generation.generateScene({ projectId, prompt: "A red intro", requestId: randomUUID() }),
  "lab.generateScene": (caller, projectId) =>
    caller.lab.generateScene({ projectId, prompt: "A red intro", strategy: "naive", latencyMs: 0 }),
};

async function snapshot(projectId: string) {
  const db = getDb();
  const [project] = await db.select().from(projects).where(eq(projects.id, projectId));
  const [sceneCount] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(scenes)
    .where(eq(scenes.projectId, projectId));
  const [messageCount] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(messages)
    .where(eq(messages.projectId, projectId));
  return { project, scenes: sceneCount?.count, messages: messageCount?.count };
}

describe("ownership", () => {
  it.each(Object.entries(projectScopedProcedures))(
    "%s answers NOT_FOUND for another user's project and changes nothing",
    async (_name, call) => {
      const owner = callerFor();
      const project = await owner.project.create({ title: "Private" });
      const before = await snapshot(project.id);

      const error = await expectTRPCError(call(callerFor(), project.id), "NOT_FOUND");

      expect(error.message).not.toContain(project.id);
      expect(await snapshot(project.id)).toEqual(before);
      await expect(call(owner, project.id)).resolves.toBeDefined();
    },
  );

  it.each(Object.entries(projectScopedProcedures))(
    "%s answers the same NOT_FOUND for a project that does not exist",
    async (_name, call) => {
      await expectTRPCError(call(callerFor(), randomUUID()), "NOT_FOUND");
    },
  );

  it.each(Object.entries(projectScopedProcedures))(
    "%s answers UNAUTHORIZED without a session",
    async (_name, call) => {
      const project = await callerFor().project.create();
      await expectTRPCError(call(callerFor(null), project.id), "UNAUTHORIZED");
    },
  );
});
