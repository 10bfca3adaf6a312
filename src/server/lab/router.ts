import { TRPCError } from "@trpc/server";
import { explore } from "race-kit";
import { z } from "zod";

import { env, isRaceLabEnabled } from "~/env";
import { promptSchema } from "~/lib/inputs";
import { welcomeResetStrategyNames } from "~/lib/lab";
import { createTRPCRouter, userProcedure } from "~/server/api/trpc";
import { getDatabaseUrl } from "~/server/db";
import { replayWelcomeReset, summarizeExploration } from "~/server/lab/explore/to-timeline";
import { exploreWelcomeReset } from "~/server/lab/explore/welcome-reset";
import { generateWithStrategy } from "~/server/lab/generate-with-strategy";
import { LOCK_ACROSS_MAX_LATENCY_MS } from "~/server/lab/lock-across-model-call";
import { oneRaceAtATime, runToolRegistration, runWelcomeResetRace } from "~/server/lab/race-runner";
import { simulatedModelCall } from "~/server/services/brain/model";

/** The Race Lab: broken variants beside the fix. Answers NOT_FOUND unless enabled. */
const labProcedure = userProcedure.use(({ next }) => {
  if (!isRaceLabEnabled) throw new TRPCError({ code: "NOT_FOUND", message: "The Race Lab is not enabled" });
  return next();
});

/**
 * An interleaving as the explorer writes it: "A1 A2 B1 …", each request's steps numbered
 * from 1 in order. Whether it can actually run is known only by running it.
 */
const interleavingSchema = z
  .string()
  .max(400, "The schedule is too long (at most 400 characters).")
  .trim()
  .min(1, "The schedule is empty: give steps like “A1 A2 B1”.")
  .superRefine((schedule, context) => {
    if (schedule === "") return;
    const next: Record<string, number> = { A: 1, B: 1 };
    for (const step of schedule.split(/\s+/)) {
      const match = /^([AB])(\d{1,3})$/.exec(step);
      if (!match) {
        context.addIssue({ code: "custom", message: `“${step.slice(0, 20)}” is not a step: expected A or B and a number, like A3.` });
        return;
      }
      const [, lane = "", number = ""] = match;
      if (Number(number) !== next[lane]) {
        context.addIssue({
          code: "custom",
          message: `“${step}” is out of order: request ${lane}'s next step is ${lane}${next[lane]}.`,
        });
        return;
      }
      next[lane] = (next[lane] ?? 1) + 1;
    }
  });

export const labRouter = createTRPCRouter({
  generateScene: labProcedure
    .input(
      z.object({
        projectId: z.uuid(),
        prompt: promptSchema,
        strategy: z.enum(welcomeResetStrategyNames),
        latencyMs: z.number().int().min(0).max(10_000).optional(),
      }).refine(
        // It holds a pool connection through the model call: its latency is capped lower.
        ({ strategy, latencyMs = 0 }) => strategy !== "lock-across-model-call" || latencyMs <= LOCK_ACROSS_MAX_LATENCY_MS,
        {
          path: ["latencyMs"],
          message: `lock-across-model-call holds a database connection through the model call: its latency is at most ${LOCK_ACROSS_MAX_LATENCY_MS} ms`,
        },
      ),
    )
    .mutation(({ ctx, input: { latencyMs, ...request } }) => {
      const latency = latencyMs ?? env.GENERATION_LATENCY_MS;
      const bounded = request.strategy === "lock-across-model-call" ? Math.min(latency, LOCK_ACROSS_MAX_LATENCY_MS) : latency;
      return generateWithStrategy(ctx.db, { userId: ctx.userId, ...request }, simulatedModelCall(bounded));
    }),

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

  /**
   * The "All interleavings" view: race-kit's explorer runs every feasible interleaving of
   * the two requests' statements for this strategy (src/server/lab/explore/welcome-reset.ts,
   * the exploration the tests run), each on a fresh project. Totals and one small cell per
   * interleaving; the steps come with `replayInterleaving`.
   */
  explore: labProcedure
    .input(z.object({ strategy: z.enum(welcomeResetStrategyNames) }))
    .mutation(async ({ ctx, input: { strategy } }) => {
      const databaseUrl = getDatabaseUrl();
      const report = await oneRaceAtATime(() => explore(exploreWelcomeReset(strategy, { db: ctx.db, databaseUrl })));
      return summarizeExploration(strategy, report);
    }),

  /** One interleaving run again, deterministically, drawn like a race (lanes, verdict, database after). */
  replayInterleaving: labProcedure
    .input(z.object({ strategy: z.enum(welcomeResetStrategyNames), schedule: interleavingSchema }))
    .mutation(async ({ ctx, input: { strategy, schedule } }) => {
      const databaseUrl = getDatabaseUrl();
      const run = await oneRaceAtATime(() => replayWelcomeReset(strategy, { db: ctx.db, databaseUrl }, schedule));
      const requested = schedule.split(/\s+/);
      const ran = run.schedule.split(" ");
      if (requested.some((step, index) => ran[index] !== step)) {
        throw new TRPCError({
          code: "BAD_REQUEST",
          message: `The ${strategy} strategy cannot run the schedule “${schedule}”: a step it asks for waits for a lock or does not exist. It ran as “${run.schedule}” instead.`,
        });
      }
      return run;
    }),

  /** The tool-registration race, on registries made for the run (never the process's own). */
  toolRegistration: labProcedure.mutation(() => runToolRegistration()),
});
