/** Bounded concurrency for the load drivers: no unbounded loops, no unbounded fan-out. */

/** At most `limit` of the returned function's tasks run at once; the rest queue, in order. */
export function createLimiter(limit: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async function run<T>(task: () => Promise<T>): Promise<T> {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

/**
 * A closed loop: `concurrency` workers each take the next of `total` iterations until
 * none are left or `deadline` (epoch ms) passes. Returns the wall time and how many ran.
 */
export async function closedLoop({
  concurrency,
  total,
  deadline,
  task,
}: {
  concurrency: number;
  total: number;
  deadline: number;
  task: (iteration: number, worker: number) => Promise<void>;
}) {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (next < total && Date.now() < deadline) {
        const iteration = next++;
        await task(iteration, worker);
      }
    }),
  );
  return { wallMs: performance.now() - started, completed: Math.min(next, total) };
}

/** Runs every item through `task` with at most `limit` at once; results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>) {
  const run = createLimiter(limit);
  return Promise.all(items.map((item, index) => run(() => task(item, index))));
}

/** Seeded, so a run's mix of requests is repeatable (race-kit's generator). */
export { seededRandom } from "race-kit";
