import { and, asc, eq, sql } from "drizzle-orm";

import type { SceneProps } from "~/lib/scene-props";
import { scenes, type Scene } from "~/server/db/schema";
import type { Executor, Transaction } from "~/server/db/tx";
import { ToolInputError } from "~/server/services/brain/tools/types";

export function listScenes(executor: Executor, projectId: string) {
  return executor.select().from(scenes).where(eq(scenes.projectId, projectId)).orderBy(asc(scenes.order));
}

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

/** "Scene 2" as a user counts: the second scene by order, read under the project lock. */
export async function sceneAtPosition(tx: Transaction, projectId: string, position: number): Promise<Scene> {
  const storyboard = await listScenes(tx, projectId);
  const scene = storyboard[position - 1];
  if (!scene) {
    const count = storyboard.length === 1 ? "1 scene" : `${storyboard.length} scenes`;
    throw new ToolInputError(`There is no scene ${position}: the project has ${count}.`);
  }
  return scene;
}

/** A versioned write: applies only if the scene is still at `expectedVersion`. */
export async function updateSceneProps(tx: Executor, scene: Scene, props: SceneProps) {
  const [updated] = await tx
    .update(scenes)
    .set({ props, name: props.title, version: sql`${scenes.version} + 1` })
    .where(and(eq(scenes.id, scene.id), eq(scenes.version, scene.version)))
    .returning();
  return updated ?? null;
}
