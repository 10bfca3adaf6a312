import { generationRouter } from "~/server/api/routers/generation";
import { projectRouter } from "~/server/api/routers/project";
import { createCallerFactory, createTRPCRouter } from "~/server/api/trpc";

export const appRouter = createTRPCRouter({
  project: projectRouter,
  generation: generationRouter,
});

export type AppRouter = typeof appRouter;

/** Server-side caller: `createCaller(ctx).project.list()`. */
export const createCaller = createCallerFactory(appRouter);
