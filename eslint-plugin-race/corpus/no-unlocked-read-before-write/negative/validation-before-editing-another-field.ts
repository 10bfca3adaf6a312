// A validation before an edit of another field ("archived projects are read-only"): the
// early exit checks `status`, the write sets `title`. The rule leaves such checks alone;
// putting `ne(projects.status, "archived")` in the WHERE would close the gap for free.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { projects } from "../../_support/schema";
import { TRPCError } from "../../_support/trpc";

export async function rename(projectId: string, title: string) {
  const [project] = await db.select().from(projects).where(eq(projects.id, projectId));
  if (!project) throw new TRPCError({ code: "NOT_FOUND" });
  if (project.status === "archived") throw new TRPCError({ code: "FORBIDDEN", message: "Archived projects are read-only" });
  await db.update(projects).set({ title }).where(eq(projects.id, projectId));
}
