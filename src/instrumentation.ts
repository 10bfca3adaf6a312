/**
 * Runs once when a Next.js server process starts, before it takes requests. The
 * Node-only checks live in src/server/startup.ts so the Edge bundle never sees them.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { checkServerConfiguration } = await import("~/server/startup");
    await checkServerConfiguration();
  }
}
