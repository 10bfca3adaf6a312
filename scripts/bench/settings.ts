/**
 * What every part of `npm run bench` agrees on: the command, where it writes, the slow
 * model latency, the app's defaults it runs with, and the switches for iterating
 * (BENCH_ONLY, BENCH_VERBOSE). One place, so a scenario and the page it is reported on
 * cannot disagree.
 */
import path from "node:path";

import { parseEnv } from "~/env";

export const COMMAND = "npm run bench";
export const ENTRY = "scripts/bench/main.ts";
export const DOC = path.join("docs", "benchmarks.md");
/** The charts, beside the doc; linked from it as `images/<file>`. */
export const IMAGES = path.join("docs", "images");
/** Server B's model latency, and the lab's `latencyMs` in scenario 2. */
export const SLOW_MS = 500;
/** The app's defaults (pool size, lock timeout, lease), whatever the shell has set. */
export const appDefaults = parseEnv({});
/** The deadline of the whole run, build included (a full run took 687 s without the build on a 2-core machine at load 6–9). */
export const DEFAULT_DEADLINE_MS = 900_000;
export const DEADLINE_MS = Number(process.env.BENCH_DEADLINE_MS ?? DEFAULT_DEADLINE_MS);

export const verbose = process.env.BENCH_VERBOSE === "1";
/** BENCH_ONLY=1,3: run only those parts (for iterating; the doc and the charts are not written). */
export const only = process.env.BENCH_ONLY?.split(",").map((id) => id.trim());
