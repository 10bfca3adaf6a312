/**
 * The one loader for the invariants of src/lib/invariants.ts: reads projects, scenes and
 * messages (one project's, or the whole database's) in one read-only REPEATABLE READ
 * transaction, so the three reads are one snapshot and a check never sees a scene
 * without the reply written in the same transaction (or the reverse).
 *
 * It takes the Drizzle handle as an argument and imports no `server-only` module, so
 * scripts run with `node --import tsx` (the soak) can use it as well as tests and the
 * Race Lab.
 */
import { asc, eq } from "drizzle-orm";

import {
  checkInvariants,
  type DataRows,
  type InvariantOptions,
  type InvariantReport,
  type MessageFacts,
  type ProjectFacts,
  type SceneFacts,
} from "~/lib/invariants";
import type { Database } from "./index";
import { messages, projects, scenes } from "./schema";

/** The rows the invariants need, with the title and scene names the Race Lab shows. */
export interface StoredRows extends DataRows {
  projects: (ProjectFacts & { title: string })[];
  scenes: (SceneFacts & { name: string })[];
  messages: MessageFacts[];
}

/** Rows of one project (`projectId`) or of every project (no `projectId`), scenes by order, messages by sequence. */
export function loadInvariantRows(db: Database, scope: { projectId?: string } = {}): Promise<StoredRows> {
  const { projectId } = scope;
  return db.transaction(
    async (tx) => ({
      projects: await tx
        .select({ id: projects.id, title: projects.title, isWelcome: projects.isWelcome })
        .from(projects)
        .where(projectId === undefined ? undefined : eq(projects.id, projectId))
        .orderBy(asc(projects.createdAt)),
      scenes: await tx
        .select({ id: scenes.id, projectId: scenes.projectId, kind: scenes.kind, order: scenes.order, name: scenes.name })
        .from(scenes)
        .where(projectId === undefined ? undefined : eq(scenes.projectId, projectId))
        .orderBy(asc(scenes.projectId), asc(scenes.order)),
      messages: await tx
        .select({
          id: messages.id,
          projectId: messages.projectId,
          role: messages.role,
          status: messages.status,
          content: messages.content,
          requestId: messages.requestId,
          replyToId: messages.replyToId,
          sequence: messages.sequence,
          sceneId: messages.sceneId,
        })
        .from(messages)
        .where(projectId === undefined ? undefined : eq(messages.projectId, projectId))
        .orderBy(asc(messages.projectId), asc(messages.sequence)),
    }),
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

/** Loads the rows (one project's or all) and checks them: the report and the rows it judged. */
export async function checkStoredInvariants(
  db: Database,
  scope: { projectId?: string } & InvariantOptions = {},
): Promise<{ rows: StoredRows; report: InvariantReport }> {
  const rows = await loadInvariantRows(db, scope);
  return { rows, report: checkInvariants(rows, scope) };
}
