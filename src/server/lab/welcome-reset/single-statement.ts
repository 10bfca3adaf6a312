/**
 * ✅ The welcome reset for a driver that cannot hold a transaction open (an HTTP driver
 * such as Neon's): the whole apply step is ONE statement, with no BEGIN/COMMIT. One
 * statement is atomic on its own; what it cannot do is see rows committed after it
 * started. So it decides from rows it locks, which READ COMMITTED hands it at their
 * latest version: the project row (locked first, as the app's apply does) and the reply.
 * The next order comes from the statement's snapshot, the one read a lock does not
 * refresh, so the insert is the last decision: `ON CONFLICT DO NOTHING` on the unique
 * (project_id, order) and every other write depends on the row it inserted. An order
 * taken meanwhile writes nothing, and the statement runs again with a new snapshot. Why
 * each part is safe, the cost and when to use it: docs/patterns/single-statement.md.
 */
import { randomUUID } from "node:crypto";

import { eq, sql } from "drizzle-orm";

import type { SceneProps } from "~/lib/scene-props";
import type { Database } from "~/server/db";
import { fromJsonRow } from "~/server/db/json-rows";
import { messages, scenes } from "~/server/db/schema";
import { queryRows } from "~/server/db/tx";
import { notFound } from "~/server/services/errors";
import { ReplyNotOpenError } from "~/server/services/generation/exchange";
import type { LabApply, LabApplyRequest } from "./types";

/**
 * Attempts before the request gives up. An attempt writes nothing only when another append
 * on the same project committed its order first, so a request fails only after this many
 * other appends won against it (10 concurrent generations on one project need at most 10).
 */
export const SINGLE_STATEMENT_MAX_ATTEMPTS = 20;

interface StatementInput {
  userId: string;
  projectId: string;
  assistantMessageId: string;
  sceneId: string;
  props: SceneProps;
  reply: string;
}

/** The apply step as one statement. Every CTE reads the statement's one snapshot. */
export function applyStatement({ userId, projectId, assistantMessageId, sceneId, props, reply }: StatementInput) {
  return sql`
    with project as materialized (
      select id from projects
      where id = ${projectId}::uuid and owner_id = ${userId}::uuid
      for update
    ),
    open_reply as materialized (
      select id, project_id from messages
      where id = ${assistantMessageId}::uuid
        and project_id = (select id from project)
        and status in ('pending', 'building')
      for update
    ),
    scene as (
      insert into scenes (id, project_id, kind, "order", name, props)
      select ${sceneId}::uuid, r.project_id, 'generated'::scene_kind, coalesce(max(s."order"), -1) + 1,
             ${props.title}, ${JSON.stringify(props)}::jsonb
      from open_reply r
      left join scenes s on s.project_id = r.project_id
      group by r.project_id
      on conflict (project_id, "order") do nothing
      returning *
    ),
    reply as (
      update messages
      set status = 'success', content = ${reply}, scene_id = ${sceneId}::uuid, error = null, updated_at = now()
      where id = (select id from open_reply) and exists (select 1 from scene)
      returning *
    ),
    cleared as (
      update projects
      set is_welcome = false, updated_at = now()
      where id = (select id from project) and is_welcome and exists (select 1 from scene)
      returning id
    ),
    removed as (
      delete from scenes
      where project_id = (select id from cleared) and kind = 'welcome'
      returning id
    )
    select exists (select 1 from project) as found,
           exists (select 1 from open_reply) as open,
           (select to_jsonb(reply) from reply) as reply,
           (select to_jsonb(scene) from scene) as scene`;
}

interface StatementRow {
  found: boolean;
  open: boolean;
  reply: Record<string, unknown> | null;
  scene: Record<string, unknown> | null;
}

/** The apply step in one statement, sent again (a new snapshot) when the order it chose was taken. */
export async function applyInOneStatement(
  db: Database,
  { userId, projectId, assistantMessageId, props }: Omit<LabApplyRequest, "db" | "projectAtStart">,
  { maxAttempts = SINGLE_STATEMENT_MAX_ATTEMPTS } = {},
) {
  const input = { userId, projectId, assistantMessageId, props, reply: `Added a scene: “${props.title}”.` };
  for (let attempt = 1; ; attempt++) {
    const [row] = await queryRows<StatementRow>(db, applyStatement({ ...input, sceneId: randomUUID() }));
    if (!row?.found) throw notFound("Project");
    if (!row.open) {
      // Nothing was written. As completeExchange does: say what the reply is now.
      const [current] = await db.select().from(messages).where(eq(messages.id, assistantMessageId));
      throw new ReplyNotOpenError(assistantMessageId, undefined, current);
    }
    if (row.scene && row.reply) {
      return { assistantMessage: fromJsonRow(messages, row.reply), scene: fromJsonRow(scenes, row.scene), attempts: attempt };
    }
    // The order was taken by a scene this statement's snapshot could not see: nothing was written.
    if (attempt >= maxAttempts) throw new OrderTakenError(projectId, attempt);
  }
}

/** Every attempt found its order taken by a concurrent append: the exchange fails, with a Retry. */
export class OrderTakenError extends Error {
  constructor(projectId: string, attempts: number) {
    super(`project ${projectId}: the scene order was taken by a concurrent append in each of ${attempts} attempt(s)`);
    this.name = "OrderTakenError";
  }
}

export const applySingleStatement: LabApply = async ({ db, ...request }) => {
  const { assistantMessage, scene } = await applyInOneStatement(db, request);
  return { assistantMessage, scene };
};
