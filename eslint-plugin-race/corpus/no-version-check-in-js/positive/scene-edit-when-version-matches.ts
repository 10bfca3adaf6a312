// The write sits inside `if (version matches)`: the same gap between check and write.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { scenes } from "../../_support/schema";

export async function renameScene(sceneId: string, name: string, expectedVersion: number) {
  const [scene] = await db.select().from(scenes).where(eq(scenes.id, sceneId));
  if (scene?.version === expectedVersion) {
    await db.update(scenes).set({ name }).where(eq(scenes.id, sceneId)); // expect: race/no-version-check-in-js
    return "saved";
  }
  return "conflict";
}
