// A helper on an `Executor` (either handle) uses the one it was given.
import { eq } from "drizzle-orm";

import type { Executor } from "../../_support/db";
import { projects } from "../../_support/schema";

export async function touch(executor: Executor, projectId: string) {
  await executor.update(projects).set({ updatedAt: new Date() }).where(eq(projects.id, projectId));
}
