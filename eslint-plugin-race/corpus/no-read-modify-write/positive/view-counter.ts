// A counter incremented from a read: concurrent views count once.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { posts } from "../../_support/schema";

export async function recordView(postId: string) {
  const [post] = await db.select({ viewCount: posts.viewCount }).from(posts).where(eq(posts.id, postId));
  if (!post) return;
  await db.update(posts).set({ viewCount: post.viewCount + 1 }).where(eq(posts.id, postId)); // expect: race/no-read-modify-write
}
