import { generationRouter } from "~/server/api/routers/generation";
import { labRouter } from "~/server/api/routers/lab";
import { projectRouter } from "~/server/api/routers/project";
import { sceneRouter } from "~/server/api/routers/scene";
import { createCallerFactory, createTRPCRouter } from "~/server/api/trpc";

export const appRouter = createTRPCRouter({
  project: projectRouter,
  generation: generationRouter,
  scene: sceneRouter,
  lab: labRouter,
});

export type AppRouter = typeof appRouter;

/** Server-side caller: `createCaller(ctx).project.list()`. */
export const createCaller = createCallerFactory(appRouter);
