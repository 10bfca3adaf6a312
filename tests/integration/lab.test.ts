import { randomUUID } from "node:crypto";

import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";

import { welcomeResetStrategyNames } from "~/lib/lab";
import { getDb } from "~/server/db";
import { messages } from "~/server/db/schema";
import { callerFor, expectTRPCError } from "../support/callers";
import { inspectProject } from "../support/invariants";

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe("lab.generateScene", () => {
  it.each(welcomeResetStrategyNames)(
    "generates a scene with the %s strategy when nothing races it",
    async (strategy) => {
      const caller = callerFor();
      const project = await caller.project.create();

      const result = await caller.lab.generateScene({ projectId: project.id, prompt: "A red intro", strategy, latencyMs: 0 });

      expect(result.assistantMessage.status).toBe("success");
      expect(await inspectProject(project.id)).toMatchObject({ welcomeScenes: 0, generatedScenes: 1, lostScenes: 0 });
    },
  );

  it("rejects an unknown strategy and a latency out of range", async () => {
    const caller = callerFor();
    const project = await caller.project.create();
    await expectTRPCError(
      caller.lab.generateScene({ projectId: project.id, prompt: "x", strategy: "yolo" as never }),
      "BAD_REQUEST",
    );
    await expectTRPCError(
      caller.lab.generateScene({ projectId: project.id, prompt: "x", strategy: "naive", latencyMs: 60_000 }),
      "BAD_REQUEST",
    );
  });

  it("is the only procedure that accepts a latency override", async () => {
    const caller = callerFor();
    const project = await caller.project.create();
    const input = { projectId: project.id, prompt: "x", requestId: randomUUID(), latencyMs: 0 };
    await expectTRPCError(caller.generation.generateScene(input as never), "BAD_REQUEST");
  });

  it("lab.race shows naive losing a scene and locked losing none, with both lanes recorded", async () => {
    const { runs } = await callerFor().lab.race({ scenario: "welcome-reset", strategies: ["naive", "locked"] });

    const [naive, locked] = runs;
    expect(naive).toMatchObject({ strategy: "naive", schedule: "sequential", verdict: { outcome: "lost", lost: 1 } });
    expect(naive?.verdict.text).toMatch(/lost/i);
    expect(locked).toMatchObject({ strategy: "locked", schedule: "gated", verdict: { outcome: "safe", lost: 0 } });
    for (const run of runs) {
      expect(run.lanes.map((lane) => lane.name)).toEqual(["A", "B"]);
      expect(run.lanes.every((lane) => lane.steps.length > 0)).toBe(true);
      // The verdict's count is the invariants' count, read again from the database.
      const inspected = await inspectProject(run.state.projectId);
      expect(inspected).toMatchObject({ stuckMessages: 0, lostScenes: run.verdict.lost });
      expect(run.state.messages.filter((message) => !message.sceneExists)).toHaveLength(run.verdict.lost);
    }
    expect((await inspectProject(locked?.state.projectId ?? "")).violations).toEqual([]);
  });

  it("lab.race runs single-statement under the gate: nothing lost, the second statement sent again", async () => {
    const { runs } = await callerFor().lab.race({ scenario: "welcome-reset", strategies: ["single-statement"] });

    const [run] = runs;
    expect(run).toMatchObject({ strategy: "single-statement", schedule: "gated", verdict: { outcome: "safe", lost: 0 } });
    // Both statements take their snapshot before the gate commits; the one that gets the lock
    // second finds its order taken by the first one's scene, writes nothing and runs again.
    const statements = (run?.lanes ?? []).map((lane) => lane.steps.filter((step) => step.label.startsWith("one statement:")).length);
    expect(statements.sort()).toEqual([1, 2]);
    expect((await inspectProject(run?.state.projectId ?? "")).violations).toEqual([]);
  });

  it("lab.toolRegistration counts naive duplicates against the fixed registry", async () => {
    const { designs } = await callerFor().lab.toolRegistration();
    const counts = Object.fromEntries(designs.map((design) => [design.design, design.counts.map((c) => c.count)]));
    expect(counts.naive?.every((count) => count > 1)).toBe(true);
    expect(counts.fixed?.every((count) => count === 1)).toBe(true);
  });

  it("answers NOT_FOUND and writes nothing in a production build without RACE_LAB=1", async () => {
    const project = await callerFor().project.create();
    const owner = project.ownerId;
    vi.stubEnv("NODE_ENV", "production");
    vi.stubEnv("RACE_LAB", "");
    vi.resetModules();
    const { createCaller } = await import("~/server/api/root");
    const production = createCaller({ db: getDb(), userId: owner, headers: new Headers() });

    await expectTRPCError(
      production.lab.generateScene({ projectId: project.id, prompt: "A red intro", strategy: "naive", latencyMs: 0 }),
      "NOT_FOUND",
    );
    expect(await getDb().select().from(messages).where(eq(messages.projectId, project.id))).toEqual([]);
  });

  it("stays enabled in a production build with RACE_LAB=1", async () => {
    const project = await callerFor().project.create();
    vi.stubEnv("NODE_ENV", "production");
    vi.stubEnv("RACE_LAB", "1");
    vi.resetModules();
    const { createCaller } = await import("~/server/api/root");
    const production = createCaller({ db: getDb(), userId: project.ownerId, headers: new Headers() });

    const result = await production.lab.generateScene({
      projectId: project.id,
      prompt: "A red intro",
      strategy: "locked",
      latencyMs: 0,
    });
    expect(result.assistantMessage.status).toBe("success");
  });
});
