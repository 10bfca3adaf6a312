/**
 * Every message says the concrete fix, and none advises a transaction alone (the
 * transaction-only trap): a message that mentions opening a transaction also says what
 * makes the decision safe (lock the row, a conditional write) or that nothing needs it.
 */
import { describe, expect, it } from "vitest";

import { rules } from "../../../eslint-plugin-race/index.js";

const FIXES = [
  '.for("update")',
  "WHERE",
  "onConflictDoNothing",
  "onConflictDoUpdate",
  "sql`",
  "`await` it",
  "await …",
  "transaction handle",
  "query's cache",
  "useOptimistic",
  "Register once",
  "one after another",
  "one statement",
];

const messages = Object.entries(rules).flatMap(([rule, module]) =>
  Object.entries(module.meta?.messages ?? {}).map(([id, text]) => [`${rule}/${id}`, text] as const),
);

describe("race rule messages", () => {
  it("exist for every rule", () => {
    expect(new Set(messages.map(([id]) => id.split("/")[0])).size).toBe(Object.keys(rules).length);
  });

  it.each(messages)("%s names a concrete fix", (_id, text) => {
    expect(FIXES.some((fix) => text.includes(fix)), text).toBe(true);
  });

  it.each(messages)("%s never advises a transaction alone", (_id, text) => {
    if (/\.transaction\(async|one transaction's handle|inside a transaction that/.test(text)) {
      expect(/\.for\("update"\)|nothing needs a lock|WHERE/.test(text), text).toBe(true);
    }
  });
});
