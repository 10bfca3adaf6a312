import { TRPCError } from "@trpc/server";
import { z } from "zod";

import { env, isRaceLabEnabled } from "~/env";
import { promptSchema } from "~/lib/inputs";
import { welcomeResetStrategyNames } from "~/lib/lab";
import { createTRPCRouter, userProcedure } from "~/server/api/trpc";
import { getDatabaseUrl } from "~/server/db";
import { generateWithStrategy } from "~/server/lab/generate-with-strategy";
import { oneRaceAtATime, runToolRegistration, runWelcomeResetRace } from "~/server/lab/race-runner";
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

  /**
   * The Race Lab page: for each strategy, a new welcome project of the caller's and two
   * generations ("Red intro" as A, "Blue outro" as B) forced into the interleaving that
   * exposes it, every statement recorded with its time. One strategy after the other.
   */
  race: labProcedure
    .input(
      z.object({
        scenario: z.literal("welcome-reset"),
        strategies: z.array(z.enum(welcomeResetStrategyNames)).min(1).max(4),
        schedule: z.enum(["auto", "sequential", "gated"]).default("auto"),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const databaseUrl = getDatabaseUrl();
      const strategies = [...new Set(input.strategies)];
      const runs = await oneRaceAtATime(async () => {
        const results = [];
        for (const strategy of strategies) {
          results.push(
            await runWelcomeResetRace({
              db: ctx.db,
              databaseUrl,
              userId: ctx.userId,
              strategy,
              schedule: input.schedule,
            }),
          );
        }
        return results;
      });
      return { scenario: input.scenario, runs };
    }),

  /** The tool-registration race, on registries made for the run (never the process's own). */
  toolRegistration: labProcedure.mutation(() => runToolRegistration()),
});
