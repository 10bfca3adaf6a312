// A toggle written as the negation of the value read: two clicks at once leave it
// unchanged instead of back where it was, or the other way round.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { featureFlags } from "../../_support/schema";

export async function toggle(key: string) {
  const [flag] = await db.select().from(featureFlags).where(eq(featureFlags.key, key));
  if (!flag) return null;
  await db.update(featureFlags).set({ enabled: !flag.enabled }).where(eq(featureFlags.key, key)); // expect: race/no-read-modify-write
  return !flag.enabled;
}
