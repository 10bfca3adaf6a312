// Merging a patch into a jsonb column in JS: an edit to another field, saved at the same
// time, is overwritten with its old value.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { scenes } from "../../_support/schema";

export async function patchScene(sceneId: string, patch: Record<string, unknown>) {
  const [scene] = await db.select().from(scenes).where(eq(scenes.id, sceneId));
  if (!scene) return null;
  const [updated] = await db
    .update(scenes)
    .set({ props: { ...scene.props, ...patch } }) // expect: race/no-read-modify-write
    .where(eq(scenes.id, sceneId))
    .returning();
  return updated;
}
