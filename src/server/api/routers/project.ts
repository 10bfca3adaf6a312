import { z } from "zod";

import { DEFAULT_PROJECT_TITLE, projectIdInput, projectTitleSchema } from "~/lib/inputs";
import { createTRPCRouter, userProcedure } from "~/server/api/trpc";
import { createWelcomeProject, listProjects, requireOwnedProject } from "~/server/services/projects";

export const projectRouter = createTRPCRouter({
  list: userProcedure.query(({ ctx }) => listProjects(ctx.db, ctx.userId)),

  create: userProcedure
    .input(z.object({ title: projectTitleSchema.optional() }).optional())
    .mutation(({ ctx, input }) =>
      createWelcomeProject(ctx.db, ctx.userId, input?.title ?? DEFAULT_PROJECT_TITLE),
    ),

  get: userProcedure
    .input(projectIdInput)
    .query(({ ctx, input }) => requireOwnedProject(ctx.db, ctx.userId, input.projectId)),
});
