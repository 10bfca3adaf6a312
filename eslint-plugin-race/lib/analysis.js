/**
 * The per-file analysis the database rules share: handle kinds (lib/handles.js),
 * transactions and locks (lib/transactions.js), and value origins (lib/reads.js), built
 * once per rule and file from the rule's options.
 */
import { withDefaults } from "./ast.js";
import { createHandles, DEFAULT_HANDLE_OPTIONS, HANDLE_OPTIONS_SCHEMA } from "./handles.js";
import { createReads } from "./reads.js";
import { createTransactions } from "./transactions.js";

export const DEFAULT_DB_OPTIONS = {
  ...DEFAULT_HANDLE_OPTIONS,
  /** A call to a function whose name matches this takes a lock for the rest of the transaction. */
  lockFunctionPattern: "^lock",
};

const DB_OPTIONS_SCHEMA = {
  ...HANDLE_OPTIONS_SCHEMA,
  lockFunctionPattern: { type: "string" },
};

/**
 * @template {Record<string, unknown>} T
 * @param {import('eslint').Rule.RuleContext} context
 * @param {T} defaults the rule's defaults (including {@link DEFAULT_DB_OPTIONS})
 */
export function createAnalysis(context, defaults) {
  const options = withDefaults(defaults, context.options[0]);
  const handles = createHandles(context, /** @type {any} */ (options));
  const transactions = createTransactions(context, handles, /** @type {any} */ (options));
  const reads = createReads(context, handles, transactions);
  return { options, handles, transactions, reads, sourceCode: context.sourceCode };
}

/**
 * A rule's `meta.schema` for one options object.
 * @param {Record<string, unknown>} [extra]
 */
export function optionsSchema(extra = {}) {
  return [{ type: "object", properties: { ...DB_OPTIONS_SCHEMA, ...extra }, additionalProperties: false }];
}
