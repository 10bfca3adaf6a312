import { generateSceneInput, projectIdInput } from "~/lib/inputs";
import { createTRPCRouter, userProcedure } from "~/server/api/trpc";
import { readChat } from "~/server/services/generation/chat";
import { generateScene } from "~/server/services/generation/generate-scene";
import { requireOwnedProject } from "~/server/services/projects";
import { listScenes } from "~/server/services/scenes";

export const generationRouter = createTRPCRouter({
  generateScene: userProcedure
    .input(generateSceneInput)
    .mutation(({ ctx, input }) => generateScene(ctx.db, { userId: ctx.userId, ...input })),

  /** One read, no write: see readChat. */
  getChatMessages: userProcedure
    .input(projectIdInput)
    .query(({ ctx, input }) => readChat(ctx.db, ctx.userId, input.projectId)),

  getProjectScenes: userProcedure.input(projectIdInput).query(async ({ ctx, input }) => {
    await requireOwnedProject(ctx.db, ctx.userId, input.projectId);
    return listScenes(ctx.db, input.projectId);
  }),
});
