// Optimistic locking: the version read is in the WHERE, so a concurrent change makes
// this update match nothing, and the caller retries with the new value.
import { and, eq, sql } from "drizzle-orm";

import { db } from "../../_support/db";
import { scenes } from "../../_support/schema";

export async function patchScene(sceneId: string, patch: Record<string, unknown>) {
  const [scene] = await db.select().from(scenes).where(eq(scenes.id, sceneId));
  if (!scene) return null;
  const [updated] = await db
    .update(scenes)
    .set({ props: { ...scene.props, ...patch }, version: sql`${scenes.version} + 1` })
    .where(and(eq(scenes.id, sceneId), eq(scenes.version, scene.version)))
    .returning();
  return updated ?? "conflict";
}
