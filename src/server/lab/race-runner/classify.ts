/**
 * Turns the SQL a lane sent (as postgres.js's `debug` hook sees it) into a step kind
 * and a label in plain words. Only the statements the generation flow sends are named
 * specifically; anything else keeps a generic label and its SQL.
 */
import type { StepKind } from "./types";

export interface Classified {
  kind: StepKind;
  label: string;
}

const tableOf = (sql: string) =>
  /\b(?:from|update|into)\s+"?(\w+)"?/i.exec(sql)?.[1]?.toLowerCase() ?? "a table";

export function classifyStatement(sql: string, params: readonly unknown[], sceneName: string): Classified {
  const text = sql.replace(/\s+/g, " ").trim().toLowerCase();
  const table = tableOf(text);

  if (/^begin\b/.test(text)) return { kind: "begin", label: "begin transaction" };
  if (/^commit\b/.test(text)) return { kind: "commit", label: "commit" };
  if (/^rollback\b/.test(text)) return { kind: "rollback", label: "rollback" };
  if (text.includes("set_config('lock_timeout'")) return { kind: "config", label: "set lock_timeout" };

  // The single-statement strategy: the whole apply step as one WITH … statement.
  if (text.startsWith("with") && /\bfor update\b/.test(text) && /insert into "?scenes"?/.test(text)) {
    return {
      kind: "lock",
      label: `one statement: lock the project and the reply, insert scene “${sceneName}” unless its order is taken, then complete the reply and reset`,
    };
  }

  // The claim: one WITH … statement that locks the project row by taking two message numbers.
  if (text.startsWith("with") && /update projects set next_message_sequence/.test(text)) {
    return {
      kind: "lock",
      label: "claim in one statement: lock the project row by taking the next two message numbers, insert the user message and a pending reply",
    };
  }

  if (text.startsWith("select")) {
    if (/\bfor (no key )?update\b/.test(text)) {
      return { kind: "lock", label: table === "projects" ? "lock the project row (FOR UPDATE)" : `lock ${table} rows` };
    }
    if (table === "projects") return { kind: "read", label: "read the project (isWelcome)" };
    if (table === "messages" && text.includes("max(")) return { kind: "read", label: "read the next message number" };
    return { kind: "read", label: `read ${table}` };
  }

  if (text.startsWith("update")) {
    if (table === "projects") {
      const conditional = /where .*"is_welcome"/.test(text);
      return {
        kind: "update",
        label: conditional ? "clear isWelcome only if still set (compare-and-set)" : "clear isWelcome",
      };
    }
    if (table === "messages") {
      if (text.includes("make_interval")) return { kind: "update", label: "expire abandoned replies" };
      // Drizzle orders SET columns as the table does, so look for the status among them.
      if (params.includes("success")) return { kind: "update", label: "complete the reply (points at its scene)" };
      if (params.includes("building")) return { kind: "update", label: "mark the reply building" };
      if (params.includes("error")) return { kind: "update", label: "mark the reply failed" };
      return { kind: "update", label: "update the reply" };
    }
    return { kind: "update", label: `update ${table}` };
  }

  if (text.startsWith("delete")) {
    if (table === "scenes") {
      return /"kind"\s*=/.test(text)
        ? { kind: "delete", label: "delete the welcome scene" }
        : { kind: "delete", label: "delete every scene of the project" };
    }
    return { kind: "delete", label: `delete from ${table}` };
  }

  if (text.startsWith("insert")) {
    if (table === "scenes") return { kind: "insert", label: `insert scene “${sceneName}”` };
    if (table === "messages") {
      if (params.includes("user")) return { kind: "insert", label: "insert the user message" };
      if (params.includes("assistant")) return { kind: "insert", label: "insert a pending reply" };
    }
    return { kind: "insert", label: `insert into ${table}` };
  }

  return { kind: "other", label: text.split(" ").slice(0, 3).join(" ") };
}

/** Parameters for display: strings and numbers as they are, objects as short JSON. */
export function formatParams(params: readonly unknown[]): string | undefined {
  if (params.length === 0) return undefined;
  const shown = params.map((value, index) => {
    const text = typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
    return `$${index + 1} = ${text.length > 60 ? `${text.slice(0, 57)}…` : text}`;
  });
  const joined = shown.join(", ");
  return joined.length > 400 ? `${joined.slice(0, 399)}…` : joined;
}
