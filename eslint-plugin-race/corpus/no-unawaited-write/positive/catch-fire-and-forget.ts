// Fired and forgotten on the request path: the response is sent before the row lands,
// and a failure only reaches the log.
import { auditLog } from "../../_support/schema";
import { logger } from "../../_support/services";
import { createTRPCRouter, protectedProcedure, z } from "../../_support/trpc";

export const projectRouter = createTRPCRouter({
  share: protectedProcedure.input(z.object({ projectId: z.string() })).mutation(({ ctx, input }) => {
    ctx.db // expect: race/no-unawaited-write
      .insert(auditLog)
      .values({ actorId: ctx.userId, action: "project.share", targetId: input.projectId })
      .catch((error: unknown) => logger.error("audit insert failed", error));
    return { shared: true };
  }),
});
