// `void` on a Drizzle builder: the query is built and dropped, never sent. The "last
// seen" timestamp never changes.
import { eq } from "drizzle-orm";

import { projects, users } from "../../_support/schema";
import { createTRPCRouter, protectedProcedure } from "../../_support/trpc";

export const projectRouter = createTRPCRouter({
  list: protectedProcedure.query(async ({ ctx }) => {
    void ctx.db.update(users).set({ lastSeenAt: new Date() }).where(eq(users.id, ctx.userId)); // expect: race/no-unawaited-write
    return ctx.db.select().from(projects).where(eq(projects.ownerId, ctx.userId));
  }),
});
