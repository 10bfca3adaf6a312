/**
 * What the database rules know about Drizzle ORM: which calls write, which read,
 * which read takes a row lock, and what a transaction callback looks like.
 */
import { chainLinks, isFunction, propertyName, unwrap } from "./ast.js";

export const WRITE_METHODS = new Set(["insert", "update", "delete"]);
const SELECT_METHODS = new Set(["select", "selectDistinct", "selectDistinctOn"]);
const QUERY_METHODS = new Set(["findFirst", "findMany"]);
const LOCKING_SQL = /\bfor\s+(?:no\s+key\s+)?update\b|\bfor\s+(?:key\s+)?share\b|\bpg_advisory_xact_lock\b|\block\s+table\b/i;
const SELECT_SQL = /^\s*(?:with\b[\s\S]*?\)\s*)?select\b/i;

/**
 * @typedef {object} DbOptions
 * @property {string[]} dbNames        identifiers (and `x.<name>` properties) that hold the root database handle
 * @property {string[]} dbFactories    functions that return it (`getDb()`)
 * @property {string[]} transactionFunctions  helpers that run a callback in a transaction (`withTransaction(db, fn)`)
 */

/** @type {DbOptions} */
export const DEFAULT_DB_OPTIONS = {
  dbNames: ["db"],
  dbFactories: ["getDb"],
  transactionFunctions: ["withTransaction"],
};

/** JSON schema for {@link DbOptions}, for a rule's `meta.schema`. */
export const DB_OPTIONS_SCHEMA = {
  dbNames: { type: "array", items: { type: "string" }, uniqueItems: true },
  dbFactories: { type: "array", items: { type: "string" }, uniqueItems: true },
  transactionFunctions: { type: "array", items: { type: "string" }, uniqueItems: true },
};

/**
 * The root database handle: `db`, `ctx.db`, `this.db`, `getDb()`.
 * @param {any} node
 * @param {DbOptions} options
 * @returns {boolean}
 */
export function isDbHandle(node, options) {
  const target = unwrap(node);
  if (!target) return false;
  if (target.type === "Identifier") return options.dbNames.includes(target.name);
  if (target.type === "MemberExpression") {
    const name = propertyName(target);
    return name !== null && options.dbNames.includes(name);
  }
  if (target.type === "CallExpression") {
    const callee = unwrap(target.callee);
    const name = callee.type === "Identifier" ? callee.name : propertyName(callee);
    return name !== null && options.dbFactories.includes(name);
  }
  return false;
}

/**
 * `x.transaction(fn)` or `withTransaction(db, fn)`.
 * @param {any} call
 * @param {DbOptions} options
 * @returns {boolean}
 */
export function isTransactionCall(call, options) {
  if (call?.type !== "CallExpression") return false;
  const callee = unwrap(call.callee);
  if (callee.type === "Identifier") return options.transactionFunctions.includes(callee.name);
  const name = propertyName(callee);
  return name === "transaction" || (name !== null && options.transactionFunctions.includes(name));
}

/**
 * A function passed to a transaction call: its statements run inside the transaction.
 * @param {any} fn
 * @param {DbOptions} options
 * @returns {boolean}
 */
export function isTransactionCallback(fn, options) {
  return isFunction(fn) && fn.parent?.type === "CallExpression" && fn.parent.arguments.includes(fn) &&
    isTransactionCall(fn.parent, options);
}

/**
 * The transaction handle's name: the callback's first parameter (`tx`).
 * @param {any} fn
 * @returns {string | null}
 */
export function transactionHandleName(fn) {
  const first = fn.params?.[0];
  if (first?.type === "Identifier") return first.name;
  if (first?.type === "AssignmentPattern" && first.left.type === "Identifier") return first.left.name;
  return null;
}

/**
 * If `call` is a Drizzle write (`<handle>.insert|update|delete(…)`), its method and the
 * handle it was called on.
 * @param {any} call
 * @returns {{ method: string, handle: any } | null}
 */
export function writeCall(call) {
  if (call?.type !== "CallExpression") return null;
  const callee = unwrap(call.callee);
  const method = propertyName(callee);
  if (method === null || !WRITE_METHODS.has(method)) return null;
  return { method, handle: unwrap(callee.object) };
}

/**
 * Classifies an awaited expression as a read: `<handle>.select(…)…`,
 * `<handle>.query.<table>.findFirst|findMany(…)`, or `<handle>.execute(sql\`select …\`)`.
 * `locked` is true when the read takes a row lock (`.for("update")`, `FOR UPDATE` in SQL).
 *
 * @param {any} expression
 * @param {(handle: any) => boolean} isHandle
 * @returns {{ locked: boolean } | null}
 */
export function readOf(expression, isHandle) {
  const links = chainLinks(expression);
  for (let i = 0; i < links.length; i++) {
    const link = /** @type {import('./ast.js').ChainLink} */ (links[i]);
    if (link.kind !== "call" || link.name === null) continue;
    if (SELECT_METHODS.has(link.name) && isHandle(link.object)) {
      const locked = links.slice(i + 1).some((later) => later.kind === "call" && later.name === "for");
      return { locked };
    }
    if (QUERY_METHODS.has(link.name) && isRelationalQuery(link.object, isHandle)) {
      // The relational query API has no row-lock option.
      return { locked: false };
    }
    if (link.name === "execute" && isHandle(link.object)) {
      const text = sqlText(link.node.arguments[0]);
      if (text === null) return null;
      if (LOCKING_SQL.test(text)) return { locked: true };
      if (SELECT_SQL.test(text)) return { locked: false };
      return null;
    }
  }
  return null;
}

/**
 * A call that locks for the rest of the transaction: a read chain with `.for(…)`, raw
 * SQL with `FOR UPDATE` / `pg_advisory_xact_lock` / `LOCK TABLE`, or a call to a helper
 * whose name says it locks (`lockProject(tx, …)`).
 *
 * @param {any} call
 * @param {(handle: any) => boolean} isHandle
 * @param {RegExp} lockFunction
 * @returns {boolean}
 */
export function isLockCall(call, isHandle, lockFunction) {
  if (call?.type !== "CallExpression") return false;
  const callee = unwrap(call.callee);
  const name = callee.type === "Identifier" ? callee.name : propertyName(callee);
  if (name !== null && lockFunction.test(name)) return true;
  if (name === "for" && callee.type === "MemberExpression") {
    return readOf(unwrap(callee.object), isHandle) !== null;
  }
  if (name === "execute" && callee.type === "MemberExpression" && isHandle(callee.object)) {
    const text = sqlText(call.arguments[0]);
    return text !== null && LOCKING_SQL.test(text);
  }
  return false;
}

/**
 * `<handle>.query.<table>`
 * @param {any} node
 * @param {(handle: any) => boolean} isHandle
 */
function isRelationalQuery(node, isHandle) {
  const table = unwrap(node);
  if (table?.type !== "MemberExpression") return false;
  const query = unwrap(table.object);
  return query?.type === "MemberExpression" && propertyName(query) === "query" && isHandle(query.object);
}

/**
 * The static text of `sql\`…\`` (or a string literal), interpolations left out.
 * @param {any} node
 * @returns {string | null}
 */
function sqlText(node) {
  const target = unwrap(node);
  if (target?.type === "TaggedTemplateExpression") {
    return target.quasi.quasis.map((/** @type {any} */ quasi) => quasi.value.cooked ?? quasi.value.raw).join(" ");
  }
  if (target?.type === "TemplateLiteral") {
    return target.quasis.map((/** @type {any} */ quasi) => quasi.value.cooked ?? quasi.value.raw).join(" ");
  }
  if (target?.type === "Literal" && typeof target.value === "string") return target.value;
  return null;
}
