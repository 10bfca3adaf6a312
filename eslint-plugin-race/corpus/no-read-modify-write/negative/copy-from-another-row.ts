// Copying fields from a template row as they are: nothing is computed from the written
// column's own old value.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { projects } from "../../_support/schema";

export async function applyTemplate(projectId: string, templateId: string) {
  const [template] = await db.select().from(projects).where(eq(projects.id, templateId));
  if (!template) return;
  await db.update(projects).set({ title: template.title, tags: template.tags }).where(eq(projects.id, projectId));
}
