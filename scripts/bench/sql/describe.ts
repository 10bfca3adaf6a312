/**
 * Short names for captured statements, for the console and the doc: `BEGIN`,
 * `set_config('lock_timeout')`, `SELECT projects FOR UPDATE`, `INSERT messages`, … read
 * from the statement text itself, whatever it is.
 */
const collapse = (text: string) => text.replace(/\s+/g, " ").trim();
const table = (text: string, after: RegExp) => new RegExp(`${after.source}\\s+"?([\\w.]+)"?`, "i").exec(text)?.[1];

export function describeStatement(text: string): string {
  const sql = collapse(text);
  const verb = /^\s*(\w+)/.exec(sql)?.[1]?.toLowerCase() ?? "";
  if (["begin", "commit", "rollback", "savepoint"].includes(verb)) return verb.toUpperCase();
  const setting = /set_config\('(\w+)'/i.exec(sql)?.[1] ?? /set_config\(\$\d+/i.exec(sql)?.[0];
  if (setting) return `set_config(${setting.startsWith("set_config") ? "…" : `'${setting}'`})`;
  if (verb === "insert") return `INSERT ${table(sql, /insert into/) ?? "?"}`;
  if (verb === "update") return `UPDATE ${table(sql, /update/) ?? "?"}`;
  if (verb === "delete") return `DELETE ${table(sql, /delete from/) ?? "?"}`;
  if (verb === "with") {
    const writes = [...sql.matchAll(/\b(insert into|update|delete from)\s+"?(\w+)"?/gi)].map((match) => `${match[1]?.split(" ")[0]?.toUpperCase()} ${match[2]}`);
    return `WITH … ${writes.length ? writes.join(", ") : "SELECT"}`;
  }
  if (verb === "select") {
    const from = table(sql, /\bfrom/);
    return `SELECT${from ? ` ${from}` : ""}${/\bfor update\b/i.test(sql) ? " FOR UPDATE" : ""}`;
  }
  return sql.slice(0, 40);
}

/** The label without what its parentheses hold: `set_config('lock_timeout')` and `set_config(…)` compare equal. */
export const baseLabel = (label: string) => label.replace(/\(.*\)$/, "");

/** True for a statement that writes (INSERT, UPDATE, DELETE, or a WITH that does). */
export const isWrite = (text: string) => /^\s*(insert|update|delete|merge)\b/i.test(text) || (/^\s*with\b/i.test(text) && /\b(insert into|update|delete from)\b/i.test(text));

/** The statements grouped as the connection saw them: each transaction (BEGIN … COMMIT) one group, others alone. */
export function groupByTransaction(texts: readonly string[]): string[][] {
  const groups: string[][] = [];
  let open: string[] | undefined;
  for (const text of texts) {
    const label = describeStatement(text);
    if (label === "BEGIN") groups.push((open = [label]));
    else if (open) {
      open.push(label);
      if (label === "COMMIT" || label === "ROLLBACK") open = undefined;
    } else groups.push([label]);
  }
  return groups;
}
