import { generationRouter } from "~/server/api/routers/generation";
import { projectRouter } from "~/server/api/routers/project";
import { sceneRouter } from "~/server/api/routers/scene";
import { createCallerFactory, createTRPCRouter } from "~/server/api/trpc";
// The app's one import of the Race Lab: its router, mounted here. Its procedures answer
// NOT_FOUND unless RACE_LAB=1 (src/server/lab/router.ts).
import { labRouter } from "~/server/lab/router";

export const appRouter = createTRPCRouter({
  project: projectRouter,
  generation: generationRouter,
  scene: sceneRouter,
  lab: labRouter,
});

export type AppRouter = typeof appRouter;

/** Server-side caller: `createCaller(ctx).project.list()`. */
export const createCaller = createCallerFactory(appRouter);
