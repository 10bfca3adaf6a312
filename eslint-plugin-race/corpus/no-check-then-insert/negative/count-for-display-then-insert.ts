// The count is read for the response only; the insert happens whatever it says.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { likes } from "../../_support/schema";

export async function likeAndCount(postId: string, userId: string) {
  const before = await db.select({ id: likes.id }).from(likes).where(eq(likes.postId, postId));
  await db.insert(likes).values({ postId, userId });
  return { likes: before.length + 1 };
}
