/** The corpus's database handle: Drizzle over postgres.js, as a Next.js app would create it. */
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";

import * as schema from "./schema";

export const db = drizzle(postgres("postgres://localhost/app"), { schema });

export type Database = typeof db;
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** Either handle, for helpers that work with or without a surrounding transaction. */
export type Executor = Database | Transaction;

export function getDb(): Database {
  return db;
}

/** The app's transaction helper: runs `fn` in a transaction on `database`. */
export function withTransaction<T>(database: Database, fn: (tx: Transaction) => Promise<T>): Promise<T> {
  return database.transaction(fn);
}
