/**
 * Turns two recordings of the same code path into a replayable template: the statement
 * texts (which must be the same in both), and for every parameter where its value comes
 * from. Comparing two runs on different inputs tells a constant (the same in both) from a
 * value that changes; a changing value is an input the caller names (the user, the
 * project, the requestId), or a column of a row an earlier statement answered (an id from
 * RETURNING, a sequence read, possibly plus a small offset). Nothing here knows the app's
 * SQL, so the template follows whatever the services send.
 */
import type { RecordedStatement } from "./recording";

export type ParameterSource =
  | { kind: "constant"; value: unknown }
  | { kind: "input"; name: string }
  /**
   * Column `column` of row `row` that statement `statement` answered (its `field`, when the
   * column is a JSON object such as `to_jsonb(row)`), plus `offset`; `recorded` is the first run's value.
   */
  | { kind: "result"; statement: number; row: number; column: number; field?: string; offset: number; recorded: unknown }
  /** Changes between the two runs, but neither an input nor found in an earlier answer: replayed as in the first run. */
  | { kind: "unexplained"; value: unknown };

export interface TemplateStatement {
  text: string;
  parameters: ParameterSource[];
}

export interface StatementTemplate {
  statements: TemplateStatement[];
  /** The inputs a replay must give, by name. */
  inputs: string[];
}

export interface Recording {
  statements: RecordedStatement[];
  /** The values the caller chose for this run, by name. */
  inputs: Record<string, unknown>;
}

/** Values compare as the wire sends them: text. */
const key = (value: unknown) => (value === null || value === undefined ? "\u0000null" : String(value));
const numeric = (value: unknown) => (typeof value === "number" || (typeof value === "string" && /^-?\d+$/.test(value)) ? Number(value) : undefined);

const MAX_OFFSET = 2;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);

/** A column's value, and each field of it when it is a JSON object (one level). */
function placesIn(a: unknown, b: unknown): { field?: string; a: unknown; b: unknown }[] {
  if (!isObject(a) || !isObject(b)) return [{ a, b }];
  return Object.keys(a).map((field) => ({ field, a: a[field], b: b[field] }));
}

/** Where the earlier answers hold `first` (run 1) and `second` (run 2) at the same place, the latest first. */
function findInResults(first: Recording, second: Recording, before: number, a: unknown, b: unknown): ParameterSource | undefined {
  const [na, nb] = [numeric(a), numeric(b)];
  let offsetMatch: ParameterSource | undefined;
  for (let statement = before - 1; statement >= 0; statement--) {
    const rowsA = first.statements[statement]?.rows ?? [];
    const rowsB = second.statements[statement]?.rows ?? [];
    for (let row = 0; row < Math.min(rowsA.length, rowsB.length); row++) {
      const columnsA = rowsA[row] ?? [];
      const columnsB = rowsB[row] ?? [];
      for (let column = 0; column < Math.min(columnsA.length, columnsB.length); column++) {
        for (const { field, a: ra, b: rb } of placesIn(columnsA[column], columnsB[column])) {
          const at = { kind: "result" as const, statement, row, column, ...(field === undefined ? {} : { field }) };
          if (key(ra) === key(a) && key(rb) === key(b)) return { ...at, offset: 0, recorded: a };
          const [nra, nrb] = [numeric(ra), numeric(rb)];
          if (offsetMatch || na === undefined || nb === undefined || nra === undefined || nrb === undefined) continue;
          const offset = na - nra;
          if (offset !== 0 && Math.abs(offset) <= MAX_OFFSET && nb - nrb === offset) offsetMatch = { ...at, offset, recorded: a };
        }
      }
    }
  }
  return offsetMatch;
}

function sourceOf(first: Recording, second: Recording, statement: number, parameter: number): ParameterSource {
  const a = first.statements[statement]?.parameters[parameter];
  const b = second.statements[statement]?.parameters[parameter];
  if (key(a) === key(b)) return { kind: "constant", value: a };
  const input = Object.keys(first.inputs).find((name) => key(first.inputs[name]) === key(a) && key(second.inputs[name]) === key(b));
  if (input) return { kind: "input", name: input };
  return findInResults(first, second, statement, a, b) ?? { kind: "unexplained", value: a };
}

/** The template two recordings of one code path share; throws when they sent different statements. */
export function templateOf(first: Recording, second: Recording): StatementTemplate {
  const texts = (recording: Recording) => recording.statements.map((statement) => statement.text);
  const [a, b] = [texts(first), texts(second)];
  if (a.length !== b.length || a.some((text, index) => text !== b[index])) {
    const index = a.findIndex((text, i) => text !== b[i]);
    throw new Error(
      `the two recorded runs sent different statements (${a.length} and ${b.length}; first difference at #${index + 1}: ` +
        `${JSON.stringify(a[index] ?? "(none)")} vs ${JSON.stringify(b[index] ?? "(none)")})`,
    );
  }
  return {
    inputs: Object.keys(first.inputs),
    statements: first.statements.map((statement, index) => ({
      text: statement.text,
      parameters: statement.parameters.map((_, parameter) => sourceOf(first, second, index, parameter)),
    })),
  };
}

/** The parameters that could not be traced, as "#statement $n" labels. */
export function unexplainedParameters(template: StatementTemplate) {
  return template.statements.flatMap((statement, index) =>
    statement.parameters.flatMap((source, parameter) => (source.kind === "unexplained" ? [`#${index + 1} $${parameter + 1}`] : [])),
  );
}
