// Returned from the procedure: tRPC awaits it.
import { eq } from "drizzle-orm";

import { projects } from "../../_support/schema";
import { createTRPCRouter, protectedProcedure, z } from "../../_support/trpc";

export const projectRouter = createTRPCRouter({
  rename: protectedProcedure.input(z.object({ id: z.string(), title: z.string() })).mutation(({ ctx, input }) =>
    ctx.db.update(projects).set({ title: input.title }).where(eq(projects.id, input.id)).returning(),
  ),
});
