// Parallel reads on the pool: separate connections, really parallel, nothing shared.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { members, projects } from "../../_support/schema";

export async function loadProject(projectId: string) {
  const [project, team] = await Promise.all([
    db.select().from(projects).where(eq(projects.id, projectId)),
    db.select().from(members).where(eq(members.projectId, projectId)),
  ]);
  return { project: project[0], team };
}
