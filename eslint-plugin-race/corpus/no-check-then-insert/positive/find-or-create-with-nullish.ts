// Find-or-create in one expression: `??` runs the insert when the lookup found nothing,
// and two requests for a new flag both create it.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { featureFlags } from "../../_support/schema";

export async function ensureFlag(key: string) {
  const [existing] = await db.select().from(featureFlags).where(eq(featureFlags.key, key));
  return existing ?? (await db.insert(featureFlags).values({ key }).returning())[0]; // expect: race/no-check-then-insert
}
