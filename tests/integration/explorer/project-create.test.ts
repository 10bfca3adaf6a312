/**
 * Issue 12, item 7 under every interleaving: a double-clicked "New project" — two
 * `project.create` calls with one requestId, each on its own connection — makes one
 * project with one welcome scene, and both answers name it. Before the fix (the requestId
 * was dropped) every interleaving made two projects.
 */
import { randomUUID } from "node:crypto";

import { eq } from "drizzle-orm";
import { describe, expect, inject, it } from "vitest";

import { explore, formatReport, type ExploreOptions } from "race-kit";

import { createCaller } from "~/server/api/root";
import { getDb, type Database } from "~/server/db";
import { projects, scenes } from "~/server/db/schema";
import { connectLane } from "~/server/lab/explore/welcome-reset";

interface CreateContext {
  userId: string;
  requestId: string;
}

function sameRequestIdCreates(db: Database, databaseUrl: string): ExploreOptions<Database, CreateContext> {
  const create = (laneDb: Database, { userId, requestId }: CreateContext) =>
    createCaller({ db: laneDb, userId, headers: new Headers() }).project.create({ title: "Double-click", requestId });
  return {
    name: "project.create · same requestId twice",
    databaseUrl,
    connect: connectLane,
    setup: async () => ({ userId: randomUUID(), requestId: randomUUID() }),
    requests: { A: create, B: create },
    check: async ({ userId }, { final, outcomes }) => {
      const owned = await db.select().from(projects).where(eq(projects.ownerId, userId));
      const violations = owned.length > 1 ? [`${owned.length} projects for one requestId`] : [];
      if (!final) return violations;
      if (owned.length !== 1) violations.push(`${owned.length} projects after both creates`);
      const welcome = owned[0] ? await db.select().from(scenes).where(eq(scenes.projectId, owned[0].id)) : [];
      if (welcome.length !== 1) violations.push(`the project has ${welcome.length} scenes, not one welcome scene`);
      for (const [lane, outcome] of Object.entries(outcomes)) {
        if (!outcome.ok) violations.push(`request ${lane} failed: ${outcome.message ?? "unknown error"}`);
        const answered = (outcome.value as { id?: string } | undefined)?.id;
        if (outcome.ok && answered !== owned[0]?.id) violations.push(`request ${lane} answered project ${answered}`);
      }
      const replays = Object.values(outcomes).filter((outcome) => (outcome.value as { replayed?: boolean } | undefined)?.replayed);
      if (replays.length !== 1) violations.push(`${replays.length} answers were replays, not exactly one`);
      return violations;
    },
  };
}

describe("project.create under the explorer", () => {
  it("one requestId created twice at once: one project in every interleaving", async () => {
    const report = await explore(sameRequestIdCreates(getDb(), inject("databaseUrl")));
    console.log(formatReport(report));
    expect(report.complete).toBe(true);
    expect(report.counts.broken).toBe(0);
    expect(report.counts.error).toBe(0);
    expect(report.explored).toBeGreaterThan(2);
  }, 120_000);
});
