export const dynamic = "force-dynamic";

/**
 * Liveness: answers 200 while the process can answer at all, without touching the database.
 * A probe that restarts the server should use this one; `/api/health` (readiness) fails while
 * the database is away, and restarting every instance for that would not bring it back.
 */
export function GET() {
  return Response.json({ status: "ok" });
}
