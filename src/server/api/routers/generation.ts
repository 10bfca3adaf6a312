import { asc, eq } from "drizzle-orm";

import { generateSceneInput, projectIdInput } from "~/lib/inputs";
import { createTRPCRouter, userProcedure } from "~/server/api/trpc";
import { messages } from "~/server/db/schema";
import { generateScene } from "~/server/services/generation/generate-scene";
import { expireAbandonedExchanges } from "~/server/services/generation/recovery";
import { requireOwnedProject } from "~/server/services/projects";
import { listScenes } from "~/server/services/scenes";

export const generationRouter = createTRPCRouter({
  generateScene: userProcedure
    .input(generateSceneInput)
    .mutation(({ ctx, input }) => generateScene(ctx.db, { userId: ctx.userId, ...input })),

  getChatMessages: userProcedure.input(projectIdInput).query(async ({ ctx, input }) => {
    await requireOwnedProject(ctx.db, ctx.userId, input.projectId);
    await expireAbandonedExchanges(ctx.db, input.projectId);
    return ctx.db
      .select()
      .from(messages)
      .where(eq(messages.projectId, input.projectId))
      .orderBy(asc(messages.sequence));
  }),

  getProjectScenes: userProcedure.input(projectIdInput).query(async ({ ctx, input }) => {
    await requireOwnedProject(ctx.db, ctx.userId, input.projectId);
    return listScenes(ctx.db, input.projectId);
  }),
});
