// `updatedAt` as the concurrency token, compared in JS.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { projects } from "../../_support/schema";
import { TRPCError } from "../../_support/trpc";

export async function retitle(projectId: string, title: string, loadedAt: Date) {
  const [project] = await db.select().from(projects).where(eq(projects.id, projectId));
  if (!project) throw new TRPCError({ code: "NOT_FOUND" });
  if (project.updatedAt.getTime() !== loadedAt.getTime()) throw new TRPCError({ code: "CONFLICT" });
  await db.update(projects).set({ title, updatedAt: new Date() }).where(eq(projects.id, projectId)); // expect: race/no-version-check-in-js
}
