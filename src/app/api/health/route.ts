import { sql } from "drizzle-orm";

import { getDb } from "~/server/db";

export const dynamic = "force-dynamic";

/** Readiness: answers 200 once the server can reach its database. */
export async function GET() {
  try {
    await getDb().execute(sql`select 1`);
    return Response.json({ status: "ok" });
  } catch {
    return Response.json({ status: "database unavailable" }, { status: 503 });
  }
}
