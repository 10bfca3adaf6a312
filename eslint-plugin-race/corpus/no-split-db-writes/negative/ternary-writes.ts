// The two branches of a conditional expression: one write or the other.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { likes } from "../../_support/schema";

export async function toggleLike(postId: string, userId: string, liked: boolean) {
  return liked
    ? await db.delete(likes).where(eq(likes.postId, postId))
    : await db.insert(likes).values({ postId, userId }).returning();
}
