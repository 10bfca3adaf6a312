// One query on the transaction in parallel with work that is not on it.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { projects } from "../../_support/schema";
import { renderThumbnail } from "../../_support/services";

export function publish(projectId: string) {
  return db.transaction(async (tx) => {
    const [, thumbnail] = await Promise.all([
      tx.update(projects).set({ status: "published" }).where(eq(projects.id, projectId)),
      renderThumbnail(projectId),
    ]);
    return thumbnail;
  });
}
