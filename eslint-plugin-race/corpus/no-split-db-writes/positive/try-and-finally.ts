// A `finally` block runs after the `try` block: the message insert and the project's
// timestamp update are two statements on every path.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { messages, projects } from "../../_support/schema";

export async function postMessage(projectId: string, content: string) {
  try {
    await db.insert(messages).values({ projectId, role: "user", content, status: "success" });
  } finally {
    await db.update(projects).set({ updatedAt: new Date() }).where(eq(projects.id, projectId)); // expect: race/no-split-db-writes
  }
}
