// What runs under the guard only reads: a helper named `list…` is not a write.
import { asc, eq } from "drizzle-orm";

import { db, type Executor } from "../../_support/db";
import { projects, scenes } from "../../_support/schema";

function listScenes(executor: Executor, projectId: string) {
  return executor.select().from(scenes).where(eq(scenes.projectId, projectId)).orderBy(asc(scenes.order));
}

export async function publicStoryboard(projectId: string) {
  const [project] = await db.select().from(projects).where(eq(projects.id, projectId));
  if (project?.status !== "published") return [];
  return listScenes(db, project.id);
}
