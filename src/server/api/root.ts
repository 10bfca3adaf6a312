import { generationRouter } from "~/server/api/routers/generation";
import { labRouter } from "~/server/api/routers/lab";
import { projectRouter } from "~/server/api/routers/project";
import { createCallerFactory, createTRPCRouter } from "~/server/api/trpc";

export const appRouter = createTRPCRouter({
  project: projectRouter,
  generation: generationRouter,
  lab: labRouter,
});

export type AppRouter = typeof appRouter;

/** Server-side caller: `createCaller(ctx).project.list()`. */
export const createCaller = createCallerFactory(appRouter);
