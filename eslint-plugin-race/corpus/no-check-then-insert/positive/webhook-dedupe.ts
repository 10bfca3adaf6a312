// Webhook dedupe by lookup: the provider retries while the first delivery is still
// being processed, both find no event row, and the order is fulfilled twice.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { webhookEvents } from "../../_support/schema";

export async function handleWebhook(event: { id: string; type: string }, fulfil: () => Promise<void>) {
  const seen = await db.select().from(webhookEvents).where(eq(webhookEvents.eventId, event.id));
  if (seen.length > 0) return { duplicate: true };
  await fulfil();
  await db.insert(webhookEvents).values({ eventId: event.id, type: event.type, processedAt: new Date() }); // expect: race/no-check-then-insert
  return { duplicate: false };
}
