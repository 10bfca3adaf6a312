import { afterAll, inject } from "vitest";

import { closeDatabase } from "~/server/db";

process.env.DATABASE_URL = inject("databaseUrl");

afterAll(async () => {
  await closeDatabase();
});
