/**
 * Start-up checks for the Next.js server (called from src/instrumentation.ts): a bad
 * environment or a production server without SESSION_SECRET stops here with a clear
 * message, instead of failing on the first request. Also registers the scene tools,
 * once per process (docs/patterns/tool-registry.md).
 */
export async function checkServerConfiguration() {
  try {
    await import("~/env");
    const { getSessionSecret } = await import("~/server/auth/secret");
    getSessionSecret();
    const { initializeTools } = await import("~/server/services/brain/init");
    await initializeTools();
  } catch (error) {
    console.error(`\n[startup] ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
