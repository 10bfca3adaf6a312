// A friendly early check is fine when the WHERE repeats it.
import { and, eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { scenes } from "../../_support/schema";

export async function renameScene(sceneId: string, name: string, expectedVersion: number) {
  const [scene] = await db.select().from(scenes).where(eq(scenes.id, sceneId));
  if (scene?.version !== expectedVersion) return "conflict";
  const updated = await db
    .update(scenes)
    .set({ name, version: expectedVersion + 1 })
    .where(and(eq(scenes.id, sceneId), eq(scenes.version, expectedVersion)))
    .returning({ id: scenes.id });
  return updated.length > 0 ? "saved" : "conflict";
}
