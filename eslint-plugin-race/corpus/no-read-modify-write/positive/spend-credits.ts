// Spending credits from a stale balance: two purchases both see 10 credits, both pass the
// check, and the balance ends at 7 instead of 4 (or below zero).
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { users } from "../../_support/schema";
import { TRPCError } from "../../_support/trpc";

export async function spend(userId: string, cost: number) {
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  if (!user || user.credits < cost) throw new TRPCError({ code: "PRECONDITION_FAILED", message: "Not enough credits" });
  await db.update(users).set({ credits: user.credits - cost }).where(eq(users.id, userId)); // expect: race/no-read-modify-write
}
