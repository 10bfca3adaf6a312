import { and, eq, inArray, isNotNull } from "drizzle-orm";

import { getDb } from "~/server/db";
import { messages, projects, scenes } from "~/server/db/schema";

/** The invariants DESIGN.md lists, read from the database for one project. */
export async function inspectProject(projectId: string) {
  const db = getDb();
  const [project] = await db.select().from(projects).where(eq(projects.id, projectId));
  const storyboard = await db.select().from(scenes).where(eq(scenes.projectId, projectId));
  const thread = await db.select().from(messages).where(eq(messages.projectId, projectId));
  const pointers = await db
    .select({ sceneId: messages.sceneId })
    .from(messages)
    .where(and(eq(messages.projectId, projectId), isNotNull(messages.sceneId)));
  const sceneIds = new Set(storyboard.map((scene) => scene.id));
  const stuck = await db
    .select({ id: messages.id })
    .from(messages)
    .where(and(eq(messages.projectId, projectId), inArray(messages.status, ["pending", "building"])));

  return {
    isWelcome: project?.isWelcome,
    welcomeScenes: storyboard.filter((scene) => scene.kind === "welcome").length,
    generatedScenes: storyboard.filter((scene) => scene.kind === "generated").length,
    /** Assistant messages pointing at a scene that no longer exists: data loss. */
    lostScenes: pointers.filter((pointer) => !sceneIds.has(pointer.sceneId ?? "")).length,
    ordersUnique: new Set(storyboard.map((scene) => scene.order)).size === storyboard.length,
    sequencesUnique: new Set(thread.map((message) => message.sequence)).size === thread.length,
    stuckMessages: stuck.length,
    messages: thread.length,
  };
}
