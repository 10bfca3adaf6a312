import { z } from "zod";

import { DEFAULT_PROJECT_TITLE, projectIdInput, projectTitleSchema } from "~/lib/inputs";
import { createTRPCRouter, userProcedure } from "~/server/api/trpc";
import { createWelcomeProject, listProjects, requireOwnedProject } from "~/server/services/projects";

export const projectRouter = createTRPCRouter({
  list: userProcedure.query(({ ctx }) => listProjects(ctx.db, ctx.userId)),

  /**
   * `requestId`: a uuid the client mints per intended creation (one click on "New
   * project"); a repeat answers the same project (`replayed: true`), another title with
   * it is UNPROCESSABLE_CONTENT. Without one, every call creates a project.
   */
  create: userProcedure
    .input(z.object({ title: projectTitleSchema.optional(), requestId: z.uuid().optional() }).optional())
    .mutation(({ ctx, input }) =>
      createWelcomeProject(ctx.db, ctx.userId, input?.title ?? DEFAULT_PROJECT_TITLE, input?.requestId),
    ),

  get: userProcedure
    .input(projectIdInput)
    .query(({ ctx, input }) => requireOwnedProject(ctx.db, ctx.userId, input.projectId)),
});
