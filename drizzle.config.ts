import { defineConfig } from "drizzle-kit";

/**
 * drizzle-kit reads this for `db:generate` (no database needed) and `db:studio`
 * (needs DATABASE_URL: run it through scripts/with-database.ts, see README).
 */
export default defineConfig({
  schema: "./src/server/db/schema.ts",
  out: "./drizzle",
  dialect: "postgresql",
  dbCredentials: { url: process.env.DATABASE_URL ?? "postgres://localhost/unset" },
  strict: true,
  verbose: true,
});
