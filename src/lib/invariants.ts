/**
 * The invariants of this app's data, as ONE pure function over rows: projects, scenes
 * and messages as plain objects, however they were read (Drizzle in tests, the Race Lab
 * and the soak via src/server/db/invariants.ts; tRPC answers in e2e). It answers a list
 * of violations in plain words plus the counts the soak prints. It imports nothing, so
 * server code, scripts, Vitest and Playwright can all use it.
 *
 * The invariants (`settled` ones only when no exchange may still be in flight):
 * - lost-scene: every scene a message points at exists, in its project.
 * - welcome-flag-after-generation: after a successful reply, `isWelcome` is false.
 * - welcome-scene-left: no welcome scene once `isWelcome` is false or a reply succeeded.
 * - duplicate-order: scene orders are unique per project.
 * - duplicate-sequence: message sequences are unique per project.
 * - duplicate-request-id: requestIds are unique per project.
 * - multiple-replies: a user message has at most one reply.
 * - unanswered-message: a user message has a reply (the claim writes both at once).
 * - reply-without-message: a reply answers a user message of its project.
 * - orphan-scene (settled): every generated scene is pointed at by some reply.
 * - unsettled (settled): no message is still pending or building.
 * - scene-count (settled): generated scenes = successful "Added a scene" replies minus
 *   successful "Deleted scene" replies (the texts of the brain's addScene and deleteScene
 *   tools, src/server/services/brain/tools/).
 */

export type SceneKind = "welcome" | "generated";
export type MessageRole = "user" | "assistant";
export type MessageStatus = "pending" | "building" | "success" | "error";

export interface ProjectFacts {
  id: string;
  isWelcome: boolean;
}

export interface SceneFacts {
  id: string;
  projectId: string;
  kind: SceneKind;
  order: number;
  name?: string;
}

export interface MessageFacts {
  id: string;
  projectId: string;
  role: MessageRole;
  status: MessageStatus;
  content: string;
  requestId: string | null;
  replyToId: string | null;
  sequence: number;
  sceneId: string | null;
}

/** Rows of any number of projects. */
export interface DataRows {
  projects: readonly ProjectFacts[];
  scenes: readonly SceneFacts[];
  messages: readonly MessageFacts[];
}

/** One project's rows, as a per-project API returns them (no projectId needed on the rows). */
export interface ProjectRows {
  project: ProjectFacts;
  scenes: readonly Omit<SceneFacts, "projectId">[];
  messages: readonly Omit<MessageFacts, "projectId">[];
}

export const invariantKinds = [
  "lost-scene",
  "welcome-flag-after-generation",
  "welcome-scene-left",
  "duplicate-order",
  "duplicate-sequence",
  "duplicate-request-id",
  "multiple-replies",
  "unanswered-message",
  "reply-without-message",
  "orphan-scene",
  "unsettled",
  "scene-count",
] as const;
export type InvariantKind = (typeof invariantKinds)[number];

export interface Violation {
  kind: InvariantKind;
  projectId: string;
  /** Plain words: what is wrong, with the rows it is about. */
  message: string;
  /** The message the violation is about (lost-scene: the reply pointing at the missing scene). */
  messageId?: string;
  /** The scene the violation is about (lost-scene: the missing one). */
  sceneId?: string;
}

export interface InvariantCounts {
  projects: number;
  userMessages: number;
  assistantMessages: number;
  errorReplies: number;
  generatedScenes: number;
  welcomeScenes: number;
  /** Messages still pending or building (counted whether or not `settled` is asked). */
  unsettledMessages: number;
  /** Successful "Added a scene" replies minus successful "Deleted scene" replies. */
  expectedGeneratedScenes: number;
}

export interface InvariantReport {
  ok: boolean;
  violations: Violation[];
  /** Violations per kind, every kind present (0 when none). */
  byKind: Record<InvariantKind, number>;
  counts: InvariantCounts;
}

export interface InvariantOptions {
  /**
   * True (the default): every exchange has ended, so nothing may be pending or building,
   * every generated scene has its reply and the scene count adds up. False: a check in
   * the middle of a run, where an exchange may be between its scene write and its reply.
   */
  settled?: boolean;
}

const ADDED_REPLY = "Added a scene";
const DELETED_REPLY = "Deleted scene";

export function checkInvariants(rows: DataRows, options: InvariantOptions = {}): InvariantReport {
  const settled = options.settled ?? true;
  const violations: Violation[] = [];
  const counts: InvariantCounts = {
    projects: rows.projects.length,
    userMessages: 0,
    assistantMessages: 0,
    errorReplies: 0,
    generatedScenes: 0,
    welcomeScenes: 0,
    unsettledMessages: 0,
    expectedGeneratedScenes: 0,
  };

  const groups = new Map<string, { project?: ProjectFacts; scenes: SceneFacts[]; messages: MessageFacts[] }>();
  const group = (projectId: string) => {
    let found = groups.get(projectId);
    if (!found) groups.set(projectId, (found = { scenes: [], messages: [] }));
    return found;
  };
  for (const project of rows.projects) group(project.id).project = project;
  for (const scene of rows.scenes) group(scene.projectId).scenes.push(scene);
  for (const message of rows.messages) group(message.projectId).messages.push(message);

  for (const [projectId, { project, scenes, messages }] of groups) {
    const report = (violation: Omit<Violation, "projectId">) => violations.push({ projectId, ...violation });
    const sceneIds = new Set(scenes.map((scene) => scene.id));
    const byId = new Map(messages.map((message) => [message.id, message]));
    const replies = messages.filter((message) => message.role === "assistant");
    const succeeded = replies.filter((reply) => reply.status === "success");
    const welcome = scenes.filter((scene) => scene.kind === "welcome");
    const generated = scenes.filter((scene) => scene.kind === "generated");
    const added = succeeded.filter((reply) => reply.content.startsWith(ADDED_REPLY)).length;
    const deleted = succeeded.filter((reply) => reply.content.startsWith(DELETED_REPLY)).length;
    const unsettled = messages.filter((message) => message.status === "pending" || message.status === "building");

    counts.userMessages += messages.length - replies.length;
    counts.assistantMessages += replies.length;
    counts.errorReplies += replies.filter((reply) => reply.status === "error").length;
    counts.generatedScenes += generated.length;
    counts.welcomeScenes += welcome.length;
    counts.unsettledMessages += unsettled.length;
    counts.expectedGeneratedScenes += added - deleted;

    for (const message of messages) {
      if (message.sceneId !== null && !sceneIds.has(message.sceneId)) {
        report({
          kind: "lost-scene",
          message: `Message #${message.sequence} points at scene ${message.sceneId}, which no longer exists: a lost scene.`,
          messageId: message.id,
          sceneId: message.sceneId,
        });
      }
    }

    if (project?.isWelcome && succeeded.length > 0) {
      report({
        kind: "welcome-flag-after-generation",
        message: `The project is still marked as a welcome project after ${succeeded.length} successful repl${succeeded.length === 1 ? "y" : "ies"}.`,
      });
    }
    if (welcome.length > 0 && (project?.isWelcome === false || succeeded.length > 0)) {
      const why = project?.isWelcome === false ? "the project is no longer a welcome project" : "a generation succeeded";
      report({
        kind: "welcome-scene-left",
        message: `${welcome.length} welcome scene(s) left although ${why}.`,
        sceneId: welcome[0]?.id,
      });
    }

    for (const [order, shared] of duplicates(scenes, (scene) => scene.order)) {
      report({ kind: "duplicate-order", message: `${shared.length} scenes share order ${order}.`, sceneId: shared[0]?.id });
    }
    for (const [sequence, shared] of duplicates(messages, (message) => message.sequence)) {
      report({
        kind: "duplicate-sequence",
        message: `${shared.length} messages share sequence ${sequence}.`,
        messageId: shared[0]?.id,
      });
    }
    const withRequestId = messages.filter((message) => message.requestId !== null);
    for (const [requestId, shared] of duplicates(withRequestId, (message) => message.requestId)) {
      report({
        kind: "duplicate-request-id",
        message: `${shared.length} messages share requestId ${requestId}: one composed message made ${shared.length} exchanges.`,
        messageId: shared[0]?.id,
      });
    }

    const answered = new Map<string, MessageFacts[]>();
    for (const reply of replies) {
      const question = reply.replyToId === null ? undefined : byId.get(reply.replyToId);
      if (!question || question.role !== "user") {
        report({
          kind: "reply-without-message",
          message: `Reply #${reply.sequence} answers no user message of this project.`,
          messageId: reply.id,
        });
      } else {
        answered.set(question.id, [...(answered.get(question.id) ?? []), reply]);
      }
    }
    for (const message of messages) {
      if (message.role !== "user") continue;
      const answers = answered.get(message.id) ?? [];
      if (answers.length === 0) {
        report({
          kind: "unanswered-message",
          message: `User message #${message.sequence} has no reply.`,
          messageId: message.id,
        });
      } else if (answers.length > 1) {
        report({
          kind: "multiple-replies",
          message: `User message #${message.sequence} has ${answers.length} replies (${answers.map((reply) => `#${reply.sequence}`).join(", ")}).`,
          messageId: message.id,
        });
      }
    }

    if (!settled) continue;
    const pointedAt = new Set(messages.map((message) => message.sceneId));
    for (const scene of generated) {
      if (pointedAt.has(scene.id)) continue;
      report({
        kind: "orphan-scene",
        message: `Generated scene ${describeScene(scene)} is not pointed at by any reply: a generation nobody was told about.`,
        sceneId: scene.id,
      });
    }
    for (const message of unsettled) {
      report({
        kind: "unsettled",
        message: `${message.role === "user" ? "User message" : "Reply"} #${message.sequence} is still ${message.status}.`,
        messageId: message.id,
      });
    }
    if (generated.length !== added - deleted) {
      report({
        kind: "scene-count",
        message: `${generated.length} generated scene(s), but the replies added ${added} and deleted ${deleted}: expected ${added - deleted}.`,
      });
    }
  }

  const byKind = Object.fromEntries(invariantKinds.map((kind) => [kind, 0])) as Record<InvariantKind, number>;
  for (const violation of violations) byKind[violation.kind]++;
  return { ok: violations.length === 0, violations, byKind, counts };
}

/** The same check for one project's rows (e.g. three tRPC answers). */
export function checkProject({ project, scenes, messages }: ProjectRows, options?: InvariantOptions): InvariantReport {
  const projectId = project.id;
  return checkInvariants(
    {
      projects: [project],
      scenes: scenes.map((scene) => ({ ...scene, projectId })),
      messages: messages.map((message) => ({ ...message, projectId })),
    },
    options,
  );
}

/** Ids of the scenes that messages point at but that no longer exist. */
export function lostSceneIds(report: InvariantReport): string[] {
  return report.violations.flatMap((violation) =>
    violation.kind === "lost-scene" && violation.sceneId ? [violation.sceneId] : [],
  );
}

function duplicates<T, K>(items: readonly T[], key: (item: T) => K): [K, T[]][] {
  const byKey = new Map<K, T[]>();
  for (const item of items) byKey.set(key(item), [...(byKey.get(key(item)) ?? []), item]);
  return [...byKey].filter(([, shared]) => shared.length > 1);
}

function describeScene(scene: Omit<SceneFacts, "projectId">) {
  return scene.name ? `“${scene.name}” (order ${scene.order})` : `at order ${scene.order}`;
}
