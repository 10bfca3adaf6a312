import { inject, vi } from "vitest";

const closers: (() => Promise<unknown>)[] = [];

/**
 * The app's modules again, with these environment variables, and a pool of their own whose
 * connections start with the settings those variables give (lock_timeout and the rest).
 * Call `closeApps` after each test.
 */
export async function appWith(variables: Record<string, string>) {
  for (const [name, value] of Object.entries(variables)) vi.stubEnv(name, value);
  vi.resetModules();
  const { openDatabase } = await import("~/server/db");
  const { createCaller } = await import("~/server/api/root");
  const pool = openDatabase(inject("databaseUrl"), { max: 2 });
  closers.push(pool.close);
  return { db: pool.db, callerFor: (userId: string) => createCaller({ db: pool.db, userId, headers: new Headers() }) };
}

/** Runs `close` with the pools, in `closeApps`. */
export function closeWithApps(close: () => Promise<unknown>) {
  closers.push(close);
}

/** Restores the environment and closes every pool `appWith` opened. */
export async function closeApps() {
  vi.unstubAllEnvs();
  vi.resetModules();
  await Promise.all(closers.splice(0).map((close) => close()));
}
