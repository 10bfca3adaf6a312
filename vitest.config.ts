import path from "node:path";

import { configDefaults, defineConfig } from "vitest/config";

/**
 * Unit and integration tests. Integration tests run against a real PostgreSQL: the
 * global setup starts the embedded server (or uses DATABASE_URL) and hands the URL to
 * every worker. `server-only` throws outside Next's server bundles, so it is aliased to
 * an empty module here.
 */
export default defineConfig({
  resolve: {
    alias: {
      "~": path.resolve(import.meta.dirname, "src"),
      "race-kit": path.resolve(import.meta.dirname, "race-kit/src/index.ts"),
      "server-only": path.resolve(import.meta.dirname, "tests/support/empty-module.ts"),
    },
  },
  test: {
    include: ["tests/**/*.test.ts"],
    // tests/pooler needs PgBouncer in front of the database: `npm run test:pooler` runs it.
    exclude: [...configDefaults.exclude, ...(process.env.DATABASE_POOLER === "transaction" ? [] : ["tests/pooler/**"])],
    environment: "node",
    globalSetup: ["tests/support/global-setup.ts"],
    setupFiles: ["tests/support/worker-setup.ts"],
    env: { GENERATION_LATENCY_MS: "0" },
    testTimeout: 30_000,
    hookTimeout: 90_000,
  },
});
