// "Email already taken" by lookup: two sign-ups with one address both pass the check;
// the unique index makes the second one a 500 instead of the friendly message.
import { eq } from "drizzle-orm";

import { db } from "../../_support/db";
import { users } from "../../_support/schema";
import { sendEmail } from "../../_support/services";
import { TRPCError } from "../../_support/trpc";

export async function signUp(email: string, name: string) {
  const taken = await db.query.users.findFirst({ where: eq(users.email, email), columns: { id: true } });
  if (taken) throw new TRPCError({ code: "CONFLICT", message: "This email is already registered" });
  const [user] = await db.insert(users).values({ email, name }).returning(); // expect: race/no-check-then-insert
  await sendEmail(email, "welcome");
  return user;
}
