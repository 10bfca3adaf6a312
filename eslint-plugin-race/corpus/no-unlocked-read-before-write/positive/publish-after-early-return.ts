// The status check is an early exit, and the write comes after it: a project archived
// between the check and the update is published anyway.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { projects } from "../../_support/schema";
import { TRPCError } from "../../_support/trpc";

export async function publish(projectId: string) {
  const [project] = await db.select().from(projects).where(eq(projects.id, projectId));
  if (!project) throw new TRPCError({ code: "NOT_FOUND" });
  if (project.status !== "draft") throw new TRPCError({ code: "CONFLICT", message: "Only drafts can be published" });
  await db.update(projects).set({ status: "published", publishedAt: new Date() }).where(eq(projects.id, projectId)); // expect: race/no-unlocked-read-before-write
}
