// Deleting "the version you saw": a newer version saved meanwhile is deleted too.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { scenes } from "../../_support/schema";

export async function deleteScene(sceneId: string, expectedVersion: number) {
  const [scene] = await db.select({ version: scenes.version }).from(scenes).where(eq(scenes.id, sceneId));
  if (!scene || scene.version !== expectedVersion) return false;
  await db.delete(scenes).where(eq(scenes.id, sceneId)); // expect: race/no-version-check-in-js
  return true;
}
