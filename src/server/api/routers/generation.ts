import { generateSceneInput, projectIdInput } from "~/lib/inputs";
import { createTRPCRouter, userProcedure } from "~/server/api/trpc";
import { readChat } from "~/server/services/generation/chat";
import { generateScene } from "~/server/services/generation/generate-scene";
import { readProjectWithScenes } from "~/server/services/projects";

export const generationRouter = createTRPCRouter({
  generateScene: userProcedure
    .input(generateSceneInput)
    .mutation(({ ctx, input }) => generateScene(ctx.db, { userId: ctx.userId, ...input })),

  /** One read, no write: see readChat. */
  getChatMessages: userProcedure
    .input(projectIdInput)
    .query(({ ctx, input }) => readChat(ctx.db, ctx.userId, input.projectId)),

  /** One read: the ownership check and the scenes together. */
  getProjectScenes: userProcedure
    .input(projectIdInput)
    .query(async ({ ctx, input }) => (await readProjectWithScenes(ctx.db, ctx.userId, input.projectId)).scenes),
});
