import { and, eq, sql } from "drizzle-orm";

import type { ScenePatch, SceneProps } from "~/lib/scene-props";
import type { Database } from "~/server/db";
import { projects, scenes, type Scene } from "~/server/db/schema";
import type { Executor } from "~/server/db/tx";
import { notFound } from "~/server/services/errors";

/** Appends a scene at max(order) + 1. Call it under the project lock, or orders collide. */
export async function insertSceneAtEnd(tx: Executor, projectId: string, props: SceneProps, name = props.title) {
  const [scene] = await tx
    .insert(scenes)
    .values({
      projectId,
      kind: "generated",
      name,
      props,
      order: sql`(select coalesce(max("order"), -1) + 1 from "scenes" where "project_id" = ${projectId})`,
    })
    .returning();
  if (!scene) throw new Error("insert into scenes returned no row");
  return scene;
}

/** The scene if `userId` owns its project; NOT_FOUND otherwise. */
export async function requireOwnedScene(db: Database, userId: string, sceneId: string): Promise<Scene> {
  const [row] = await db
    .select({ scene: scenes })
    .from(scenes)
    .innerJoin(projects, eq(projects.id, scenes.projectId))
    .where(and(eq(scenes.id, sceneId), eq(projects.ownerId, userId)));
  if (!row) throw notFound("Scene");
  return row.scene;
}

/** The lock queue's key for a scene row (src/server/db/lock-queue.ts). */
export const sceneLockKey = (sceneId: string) => `scenes:${sceneId}`;

export interface VersionedPatch {
  projectId: string;
  sceneId: string;
  expectedVersion: number;
  patch: ScenePatch;
}

/**
 * Optimistic locking: one `UPDATE … WHERE id = … AND version = expected RETURNING`.
 * The patch is merged in SQL (`props || patch`), the version bumped, and a welcome
 * scene someone edits becomes a regular scene, so the welcome reset keeps it.
 * Returns null when the scene is gone or no longer at `expectedVersion`: never a
 * silent overwrite. See docs/patterns/optimistic-locking.md.
 */
export async function patchSceneVersioned(
  executor: Executor,
  { projectId, sceneId, expectedVersion, patch }: VersionedPatch,
): Promise<Scene | null> {
  const merged = sql`${scenes.props} || ${JSON.stringify(patch)}::jsonb`;
  const [scene] = await executor
    .update(scenes)
    .set({
      props: merged,
      name: sql`(${merged}) ->> 'title'`,
      kind: "generated",
      version: sql`${scenes.version} + 1`,
    })
    .where(and(eq(scenes.id, sceneId), eq(scenes.projectId, projectId), eq(scenes.version, expectedVersion)))
    .returning();
  return scene ?? null;
}

/** Deletes the scene only if it is still at `expectedVersion`; false otherwise. */
export async function deleteSceneVersioned(
  executor: Executor,
  { projectId, sceneId, expectedVersion }: Omit<VersionedPatch, "patch">,
) {
  const deleted = await executor
    .delete(scenes)
    .where(and(eq(scenes.id, sceneId), eq(scenes.projectId, projectId), eq(scenes.version, expectedVersion)))
    .returning({ id: scenes.id });
  return deleted.length > 0;
}
