// `.then` starts the query but nobody waits for it: the page is revalidated whenever the
// write happens to finish, maybe after the response.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { projects } from "../../_support/schema";
import { revalidatePath } from "../../_support/services";

export async function rename(projectId: string, title: string) {
  db.update(projects) // expect: race/no-unawaited-write
    .set({ title })
    .where(eq(projects.id, projectId))
    .then(() => revalidatePath(`/projects/${projectId}`));
  return { title };
}
