/**
 * The interleaving explorer (race-kit), in-process, on the bench's database: every feasible
 * interleaving of two requests' SQL for each welcome-reset strategy, as `npm run explore`
 * and the lab's "All interleavings" view run them (src/server/lab/explore/welcome-reset.ts),
 * counted by verdict for the chart.
 */
import { explore } from "race-kit";

import { welcomeResetStrategyNames, type WelcomeResetStrategy } from "~/lib/lab";
import { openDatabase } from "~/server/db";
import { exploreWelcomeReset } from "~/server/lab/explore/welcome-reset";

export interface StrategyInterleavings {
  strategy: WelcomeResetStrategy;
  explored: number;
  complete: boolean;
  broken: number;
  /** Fine, with no statement waiting for a lock. */
  ok: number;
  /** Fine, after some statement waited for a lock. */
  blocked: number;
  /** Deadlocks and runs that could not finish. */
  other: number;
  durationMs: number;
}

export async function interleavings(url: string, log: (line: string) => void): Promise<StrategyInterleavings[]> {
  const { db, close } = openDatabase(url);
  try {
    const results: StrategyInterleavings[] = [];
    for (const strategy of welcomeResetStrategyNames) {
      const report = await explore(exploreWelcomeReset(strategy, { db, databaseUrl: url }));
      const { broken, ok, blocked, deadlock, error } = report.counts;
      results.push({ strategy, explored: report.explored, complete: report.complete, broken, ok, blocked, other: deadlock + error, durationMs: report.durationMs });
      log(`  explorer · ${strategy}: ${broken} broken of ${report.explored}`);
    }
    return results;
  } finally {
    await close();
  }
}

export type InterleavingsResult = Awaited<ReturnType<typeof interleavings>>;
