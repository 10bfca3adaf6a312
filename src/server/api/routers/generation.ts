import { asc, eq } from "drizzle-orm";

import { projectIdInput } from "~/lib/inputs";
import { createTRPCRouter, userProcedure } from "~/server/api/trpc";
import { messages, scenes } from "~/server/db/schema";
import { requireOwnedProject } from "~/server/services/projects";

export const generationRouter = createTRPCRouter({
  getChatMessages: userProcedure.input(projectIdInput).query(async ({ ctx, input }) => {
    await requireOwnedProject(ctx.db, ctx.userId, input.projectId);
    return ctx.db
      .select()
      .from(messages)
      .where(eq(messages.projectId, input.projectId))
      .orderBy(asc(messages.sequence));
  }),

  getProjectScenes: userProcedure.input(projectIdInput).query(async ({ ctx, input }) => {
    await requireOwnedProject(ctx.db, ctx.userId, input.projectId);
    return ctx.db
      .select()
      .from(scenes)
      .where(eq(scenes.projectId, input.projectId))
      .orderBy(asc(scenes.order));
  }),
});
