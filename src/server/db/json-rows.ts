/**
 * Rows that come back from raw SQL as `to_jsonb(row)` (snake_case keys, timestamps as
 * ISO strings), turned into the objects Drizzle's query builder returns, with each
 * column's own decoder. For statements that return the rows their CTEs wrote: the claim
 * (services/generation/claim.ts) and the single-statement apply.
 */
import { getTableColumns, type InferSelectModel, type Table } from "drizzle-orm";

export function fromJsonRow<T extends Table>(table: T, json: Record<string, unknown>): InferSelectModel<T> {
  const row: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const value = json[column.name];
    row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return row as InferSelectModel<T>;
}
