import { TRPCError } from "@trpc/server";
import { z } from "zod";

import { env, isRaceLabEnabled } from "~/env";
import { promptSchema } from "~/lib/inputs";
import { welcomeResetStrategyNames } from "~/lib/lab";
import { createTRPCRouter, userProcedure } from "~/server/api/trpc";
import { generateWithStrategy } from "~/server/lab/generate-with-strategy";
import { simulatedModelCall } from "~/server/services/generation/scene-generator";

/** The Race Lab: broken variants beside the fix. Answers NOT_FOUND unless enabled. */
const labProcedure = userProcedure.use(({ next }) => {
  if (!isRaceLabEnabled) throw new TRPCError({ code: "NOT_FOUND", message: "The Race Lab is not enabled" });
  return next();
});

export const labRouter = createTRPCRouter({
  generateScene: labProcedure
    .input(
      z.object({
        projectId: z.uuid(),
        prompt: promptSchema,
        strategy: z.enum(welcomeResetStrategyNames),
        latencyMs: z.number().int().min(0).max(10_000).optional(),
      }),
    )
    .mutation(({ ctx, input: { latencyMs, ...request } }) =>
      generateWithStrategy(
        ctx.db,
        { userId: ctx.userId, ...request },
        simulatedModelCall(latencyMs ?? env.GENERATION_LATENCY_MS),
      ),
    ),
});
