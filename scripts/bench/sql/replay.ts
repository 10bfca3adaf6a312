/**
 * Sends a template's statements (./template.ts) straight to PostgreSQL with postgres.js,
 * in the recorded order, on one connection, with each parameter re-derived for this
 * iteration: an input the caller gives, a value an earlier statement of this iteration
 * answered, or the recorded constant. Prepared or unprepared, as the client is set up;
 * a statement without parameters goes as a simple query either way, like Drizzle's.
 */
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";

import type { ParameterSource, StatementTemplate } from "./template";

export type ReplayInputs = Record<string, unknown>;

/** The value `source` names, shaped like the recorded one (a number stays a number). */
function parameterValue(source: ParameterSource, inputs: ReplayInputs, answers: unknown[][][]): unknown {
  switch (source.kind) {
    case "constant":
    case "unexplained":
      return source.value;
    case "input":
      if (!(source.name in inputs)) throw new Error(`replay input "${source.name}" is missing`);
      return inputs[source.name];
    case "result": {
      const column = answers[source.statement]?.[source.row]?.[source.column];
      const value = source.field === undefined ? column : (column as Record<string, unknown> | null | undefined)?.[source.field];
      if (value === undefined) {
        const place = `row ${source.row} column ${source.column}${source.field === undefined ? "" : ` field ${source.field}`}`;
        throw new Error(`statement #${source.statement + 1} answered no ${place}`);
      }
      const derived = source.offset === 0 ? value : Number(value) + source.offset;
      return typeof source.recorded === "number" ? Number(derived) : typeof source.recorded === "string" ? String(derived) : derived;
    }
  }
}

/** A client for replays: `max` connections, prepared or not, reading dates and times as text like the app's Drizzle client. */
export function replayClient(url: string, { max, prepare }: { max: number; prepare: boolean }) {
  const client = postgres(url, { max, prepare, onnotice: () => undefined });
  drizzle(client); // sets the same parsers Drizzle sets on the app's client (dates and times as text)
  return client;
}

export interface ReplayRange {
  prepare: boolean;
  /** Replay statements [from, to) only; `answers` must then hold what the statements before `from` answered. */
  from?: number;
  to?: number;
  answers?: unknown[][][];
}

/**
 * One replay of `template` (or of a range of it) on `connection`, a reserved connection so
 * that a transaction stays on it. Returns every statement's answer so far, by index: a
 * later range can go on from them.
 */
export async function replay(
  connection: postgres.Sql,
  template: StatementTemplate,
  inputs: ReplayInputs,
  { prepare, from = 0, to = template.statements.length, answers = [] }: ReplayRange,
) {
  const answered = [...answers];
  for (let index = from; index < to; index++) {
    const statement = template.statements[index];
    if (!statement) break;
    const parameters = statement.parameters.map((source) => parameterValue(source, inputs, answered));
    const rows = await connection.unsafe(statement.text, parameters as postgres.ParameterOrJSON<never>[], { prepare }).values();
    answered[index] = rows as unknown[][];
  }
  return answered;
}
