/**
 * The pure invariants function (src/lib/invariants.ts), one case per invariant: each
 * breaks exactly one thing in otherwise valid rows and expects exactly that violation,
 * so removing (or loosening) any one check fails its case.
 */
import { describe, expect, it } from "vitest";

import {
  checkInvariants,
  checkProject,
  invariantKinds,
  lostSceneIds,
  type DataRows,
  type InvariantOptions,
  type MessageFacts,
  type SceneFacts,
} from "~/lib/invariants";

const P = "project-1";
const W = "project-welcome";

const scene = (id: string, order: number, extra: Partial<SceneFacts> = {}): SceneFacts => ({
  id,
  projectId: P,
  kind: "generated",
  order,
  name: id,
  ...extra,
});
const message = (id: string, sequence: number, extra: Partial<MessageFacts> = {}): MessageFacts => ({
  id,
  projectId: P,
  role: "user",
  status: "success",
  content: `prompt ${id}`,
  requestId: `request-${id}`,
  replyToId: null,
  sequence,
  sceneId: null,
  ...extra,
});
const reply = (id: string, sequence: number, to: string, extra: Partial<MessageFacts> = {}): MessageFacts =>
  message(id, sequence, { role: "assistant", content: "Added a scene: “x”.", requestId: null, replyToId: to, ...extra });

/** Two generations on project 1 (welcome reset done), and a untouched welcome project. */
function validRows(): DataRows {
  return {
    projects: [
      { id: P, isWelcome: false },
      { id: W, isWelcome: true },
    ],
    scenes: [scene("s1", 0), scene("s2", 1), scene("w", 0, { projectId: W, kind: "welcome" })],
    messages: [
      message("u1", 0),
      reply("a1", 1, "u1", { sceneId: "s1" }),
      message("u2", 2),
      reply("a2", 3, "u2", { sceneId: "s2" }),
    ],
  };
}

type MutableRows = DataRows & { scenes: SceneFacts[]; messages: MessageFacts[] };

/** The valid rows with `change` applied, checked. */
function reportAfter(change: (rows: MutableRows) => void, options?: InvariantOptions) {
  const rows = validRows() as MutableRows;
  change(rows);
  return checkInvariants(rows, options);
}

/** The kinds of the violations in the valid rows with `change` applied. */
const kindsAfter = (change: (rows: MutableRows) => void, options?: InvariantOptions) =>
  reportAfter(change, options).violations.map((violation) => violation.kind);

const messageOf = (rows: { messages: MessageFacts[] }, id: string) => {
  const found = rows.messages.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no message ${id}`);
  return found;
};

describe("checkInvariants", () => {
  it("finds nothing wrong with valid rows, and counts them", () => {
    const report = checkInvariants(validRows());
    expect(report.violations).toEqual([]);
    expect(report.ok).toBe(true);
    expect(Object.keys(report.byKind).sort()).toEqual([...invariantKinds].sort());
    expect(report.counts).toEqual({
      projects: 2,
      userMessages: 2,
      assistantMessages: 2,
      errorReplies: 0,
      generatedScenes: 2,
      welcomeScenes: 1,
      unsettledMessages: 0,
      expectedGeneratedScenes: 2,
    });
  });

  it("lost-scene: a reply points at a scene that no longer exists", () => {
    const rows = validRows();
    const report = checkInvariants({ ...rows, scenes: rows.scenes.filter((s) => s.id !== "s1") }, { settled: false });
    expect(report.violations.map((violation) => violation.kind)).toEqual(["lost-scene"]);
    expect(report.violations[0]).toMatchObject({ projectId: P, messageId: "a1", sceneId: "s1" });
    expect(report.violations[0]?.message).toMatch(/no longer exists: a lost scene/);
    expect(lostSceneIds(report)).toEqual(["s1"]);
  });

  it("lost-scene: a scene of another project does not count as existing", () => {
    expect(kindsAfter((rows) => (messageOf(rows, "a1").sceneId = "w"), { settled: false })).toEqual(["lost-scene"]);
  });

  it("welcome-flag-after-generation: isWelcome still true after a successful reply", () => {
    expect(kindsAfter((rows) => (rows.projects = [{ id: P, isWelcome: true }, ...rows.projects.slice(1)]))).toEqual([
      "welcome-flag-after-generation",
    ]);
  });

  it("welcome-scene-left: a welcome scene in a project that is no longer a welcome project", () => {
    expect(kindsAfter((rows) => rows.scenes.push(scene("w1", 9, { kind: "welcome" })))).toEqual(["welcome-scene-left"]);
    // No reply needed: the flag alone says the welcome scene should be gone.
    expect(kindsAfter((rows) => (rows.projects = [rows.projects[0]!, { id: W, isWelcome: false }]))).toEqual([
      "welcome-scene-left",
    ]);
  });

  it("welcome-scene-left: a welcome scene after a successful generation, even with the flag still set", () => {
    const kinds = kindsAfter((rows) => {
      rows.projects = [{ id: P, isWelcome: true }, ...rows.projects.slice(1)];
      rows.scenes.push(scene("w1", 9, { kind: "welcome" }));
    });
    expect(kinds.sort()).toEqual(["welcome-flag-after-generation", "welcome-scene-left"]);
  });

  it("duplicate-order: two scenes of a project share an order", () => {
    expect(kindsAfter((rows) => (rows.scenes[1] = scene("s2", 0)))).toEqual(["duplicate-order"]);
  });

  it("duplicate-sequence: two messages of a project share a sequence", () => {
    expect(kindsAfter((rows) => (messageOf(rows, "a2").sequence = 2))).toEqual(["duplicate-sequence"]);
  });

  it("duplicate-request-id: two user messages of a project share a requestId", () => {
    expect(kindsAfter((rows) => (messageOf(rows, "u2").requestId = "request-u1"))).toEqual(["duplicate-request-id"]);
  });

  it("multiple-replies: a user message answered twice", () => {
    expect(
      kindsAfter((rows) => rows.messages.push(reply("a3", 4, "u1", { content: "Updated scene 1.", sceneId: "s1" }))),
    ).toEqual(["multiple-replies"]);
  });

  it("unanswered-message: a user message without a reply", () => {
    expect(kindsAfter((rows) => rows.messages.push(message("u3", 4)))).toEqual(["unanswered-message"]);
  });

  it("reply-without-message: a reply that answers no user message of its project", () => {
    const kinds = kindsAfter((rows) => rows.messages.push(reply("a3", 4, "nobody", { status: "error", content: "x" })));
    expect(kinds).toEqual(["reply-without-message"]);
  });

  it("orphan-scene: a generated scene no reply points at", () => {
    expect(kindsAfter((rows) => (messageOf(rows, "a2").sceneId = null))).toEqual(["orphan-scene"]);
  });

  it("unsettled: a reply still building", () => {
    const report = reportAfter((rows) => {
      Object.assign(messageOf(rows, "a2"), { status: "building", content: "", sceneId: null });
      rows.scenes.splice(1, 1);
    });
    expect(report.violations.map((violation) => violation.kind)).toEqual(["unsettled"]);
    expect(report.counts.unsettledMessages).toBe(1);
  });

  it("scene-count: generated scenes do not match the replies' adds and deletes", () => {
    expect(kindsAfter((rows) => (messageOf(rows, "a2").content = "Updated scene 1."))).toEqual(["scene-count"]);
    // A delete reply accounts for a scene that is gone.
    expect(
      kindsAfter((rows) => {
        rows.scenes.splice(1, 1);
        messageOf(rows, "a2").sceneId = null;
        rows.messages.push(message("u3", 4), reply("a3", 5, "u3", { content: "Deleted scene 2 (“s2”)." }));
      }),
    ).toEqual([]);
  });

  it("settled: false skips the checks an in-flight exchange may break (orphan, unsettled, scene count)", () => {
    const midRun = (rows: MutableRows) =>
      Object.assign(messageOf(rows, "a2"), { status: "building", content: "", sceneId: null });
    expect(kindsAfter(midRun).sort()).toEqual(["orphan-scene", "scene-count", "unsettled"]);
    expect(kindsAfter(midRun, { settled: false })).toEqual([]);
  });
});

describe("checkProject", () => {
  it("checks one project's rows without projectIds (as tRPC answers them)", () => {
    const report = checkProject({
      project: { id: "p", isWelcome: false },
      scenes: [{ id: "s", kind: "generated", order: 0 }],
      messages: [
        { id: "u", role: "user", status: "success", content: "A red intro", requestId: "r", replyToId: null, sequence: 0, sceneId: null },
        { id: "a", role: "assistant", status: "success", content: "Added a scene: “A”.", requestId: null, replyToId: "u", sequence: 1, sceneId: "gone" },
      ],
    });
    expect(report.violations.map((violation) => violation.kind).sort()).toEqual(["lost-scene", "orphan-scene"]);
    expect(lostSceneIds(report)).toEqual(["gone"]);
  });
});
