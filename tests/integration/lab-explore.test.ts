/**
 * The Race Lab's "All interleavings" view through its tRPC procedures: `lab.explore`
 * answers race-kit's verdicts and totals for the lab's exploration
 * (src/server/lab/explore/welcome-reset.ts, the one tests/integration/explorer checks
 * strategy by strategy), one cell per interleaving, and `lab.replayInterleaving` draws
 * one of them as a two-lane timeline. (The lab is on outside production builds.)
 */
import { describe, expect, it } from "vitest";

import { callerFor, expectTRPCError } from "../support/callers";
import { inspectProject } from "../support/invariants";

describe("lab.explore and lab.replayInterleaving", () => {
  it("naive: the view's cells and totals are the explorer's, and a lost cell replays as a lost scene", async () => {
    const caller = callerFor();
    const summary = await caller.lab.explore({ strategy: "naive" });

    expect(summary.strategy).toBe("naive");
    expect(summary.complete).toBe(true);
    // The totals are the cells': every explored interleaving is one cell, counted once.
    expect(summary.interleavings).toHaveLength(summary.explored);
    expect(summary.feasible).toBe(summary.explored);
    expect(Object.values(summary.counts).reduce((sum, count) => sum + count, 0)).toBe(summary.explored);
    for (const verdict of ["broken", "ok"] as const) {
      expect(summary.interleavings.filter((cell) => cell.verdict === verdict)).toHaveLength(summary.counts[verdict]);
    }
    expect(new Set(summary.interleavings.map((cell) => cell.schedule)).size).toBe(summary.explored);
    const lost = summary.interleavings.filter((cell) => cell.verdict === "broken");
    expect(lost.length).toBeGreaterThanOrEqual(1);
    console.log(
      `[lab.explore] naive: ${summary.feasible} feasible of ${summary.total}, ${summary.counts.broken} lost, ${summary.counts.blocked} blocked, ${summary.counts.ok} ok · ${summary.durationMs} ms`,
    );
    // Small: no steps in the cells, at most two violations each.
    expect(JSON.stringify(summary).length).toBeLessThan(200_000);
    for (const cell of summary.interleavings) {
      expect(cell).not.toHaveProperty("steps");
      expect(cell.violations.length).toBeLessThanOrEqual(2);
    }

    const schedule = lost[0]?.schedule ?? "";
    const run = await caller.lab.replayInterleaving({ strategy: "naive", schedule });
    expect(run.schedule).toBe(schedule);
    expect(run.explorerVerdict).toBe("broken");
    expect(run.verdict).toMatchObject({ outcome: "lost", lost: 1 });
    expect(run.verdict.text).toMatch(/Scene lost: “(Red intro|Blue outro)” \(request [AB]\) was deleted by request [AB]\./);
    expect(run.lanes.map((lane) => lane.name)).toEqual(["A", "B"]);
    // Every statement of the schedule is drawn, in its lane, and the damage is marked.
    const statements = run.lanes.flatMap((lane) => lane.steps.filter((step) => step.kind !== "wait" && step.kind !== "acquired"));
    expect(statements).toHaveLength(schedule.split(" ").length);
    // The explorer located where an invariant first broke; the delete that lost the scene is marked.
    expect(run.damage?.step).toMatch(/^[AB]\d+$/);
    const culprits = run.lanes.flatMap((lane) => lane.steps.filter((step) => step.culprit).map((step) => ({ lane, step })));
    expect(culprits).toHaveLength(1);
    expect(culprits[0]?.step.kind).toBe("delete");
    expect(run.verdict.text).toContain(`deleted by request ${culprits[0]?.lane.name}`);
    // The state shown is the project the replay left, as the invariants read it.
    expect(run.state.messages.filter((message) => !message.sceneExists)).toHaveLength(1);
    expect(await inspectProject(run.state.projectId)).toMatchObject({ lostScenes: 1 });
  }, 120_000);

  it("locked across the model call: a blocked interleaving replays with a lock wait and nothing lost", async () => {
    const caller = callerFor();
    const summary = await caller.lab.explore({ strategy: "lock-across-model-call" });
    expect(summary.counts.broken).toBe(0);
    const blocked = summary.interleavings.find((cell) => cell.verdict === "blocked");
    expect(blocked).toBeDefined();

    const run = await caller.lab.replayInterleaving({ strategy: "lock-across-model-call", schedule: blocked?.schedule ?? "" });
    expect(run.explorerVerdict).toBe("blocked");
    expect(run.verdict.outcome).toBe("safe");
    expect(run.lanes.some((lane) => lane.steps.some((step) => step.kind === "wait"))).toBe(true);
    expect(run.lanes.reduce((total, lane) => total + lane.lockWaitMs, 0)).toBeGreaterThan(0);
  }, 120_000);

  it("answers BAD_REQUEST to a bad strategy or schedule", async () => {
    const caller = callerFor();
    await expectTRPCError(caller.lab.explore({ strategy: "yolo" as never }), "BAD_REQUEST");
    await expectTRPCError(caller.lab.replayInterleaving({ strategy: "yolo" as never, schedule: "A1" }), "BAD_REQUEST");
    for (const schedule of ["", "   ", "A1 C1", "A1 A3", "B2", "A0", "A1; drop table scenes", "A1000", "A1 ".repeat(150)]) {
      const error = await expectTRPCError(caller.lab.replayInterleaving({ strategy: "naive", schedule }), "BAD_REQUEST");
      expect(error.message.length, schedule).toBeGreaterThan(0);
    }
    // Well-formed, but request A has no 40th statement: found by running it, still BAD_REQUEST.
    const tooLong = Array.from({ length: 40 }, (_, index) => `A${index + 1}`).join(" ");
    const error = await expectTRPCError(caller.lab.replayInterleaving({ strategy: "naive", schedule: tooLong }), "BAD_REQUEST");
    expect(error.message).toMatch(/cannot run the schedule/);
  }, 60_000);
});
