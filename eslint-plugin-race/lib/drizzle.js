/**
 * What the database rules know about Drizzle ORM's query builders: which calls write,
 * which read, which read takes a row lock, the table a statement is on, and what its
 * WHERE / SET / ON CONFLICT parts are. Whether the receiver is a database handle is
 * asked of lib/handles.js (types first, names as the fallback).
 */
import { calleeName, chainLinks, outermostChain, propertyName, unwrap, walk } from "./ast.js";

const WRITE_METHODS = new Set(["insert", "update", "delete"]);
const SELECT_METHODS = new Set(["select", "selectDistinct", "selectDistinctOn"]);
const RELATIONAL_METHODS = new Set(["findFirst", "findMany"]);
/** Methods that start a statement on a handle. */
export const STATEMENT_METHODS = new Set([...WRITE_METHODS, ...SELECT_METHODS, "execute", "$count", "with", "$with"]);
const LOCKING_SQL = /\bfor\s+(?:no\s+key\s+)?update\b|\bfor\s+(?:key\s+)?share\b|\bpg_advisory_xact_lock\b|\block\s+table\b/i;
const SELECT_SQL = /^\s*(?:with\b[\s\S]*?\)\s*)?select\b/i;
/** Links that make a builder run (it is lazy until awaited or one of these is called). */
export const RUNNING_LINKS = new Set(["then", "catch", "finally", "execute"]);

/** Column and property names that identify a row rather than describe it. */
export const IDENTITY_FIELD = /^(?:id|uuid|key|slug|pk)$|(?:Id|_id|ID|Key|_key|Uuid)$/;
/** Column and property names that are a row's version. */
export const VERSION_FIELD = /^(?:version|revision|rev|etag|lockVersion|rowVersion|updatedAt|updated_at|modifiedAt|modified_at)$|(?:Version|_version)$/;

/**
 * `users` in `db.insert(users)`, `schema.users` or `db.query.users`.
 * @param {any} node
 * @returns {string | null}
 */
export function tableName(node) {
  const target = unwrap(node);
  if (target?.type === "Identifier") return target.name;
  if (target?.type === "MemberExpression") return propertyName(target);
  return null;
}

/**
 * If `call` is `<receiver>.insert|update|delete(table)`, the write: its method, receiver,
 * table, and the builder links chained on it (`set`, `where`, `onConflictDoNothing`, …).
 *
 * @typedef {{ method: string, handle: any, table: string | null, top: any, links: Map<string, any> }} Write
 * @param {any} call
 * @returns {Write | null}
 */
export function writeCall(call) {
  if (call?.type !== "CallExpression") return null;
  const callee = unwrap(call.callee);
  if (callee?.type !== "MemberExpression") return null;
  const method = propertyName(callee);
  if (method === null || !WRITE_METHODS.has(method)) return null;
  const top = outermostChain(call);
  return { method, handle: unwrap(callee.object), table: tableName(call.arguments[0]), top, links: linksAfter(call, top) };
}

/**
 * The calls chained after `start` up to `top`, by name (the last one of each name wins).
 * @param {any} start
 * @param {any} top
 * @returns {Map<string, any>}
 */
function linksAfter(start, top) {
  /** @type {Map<string, any>} */
  const links = new Map();
  for (const link of chainLinks(top)) {
    if (link.kind === "call" && link.name !== null && link.node.range[0] === start.range[0] && link.node !== start && link.node.range[1] > start.range[1]) {
      links.set(link.name, link.node);
    }
  }
  return links;
}

/**
 * A read: an awaited `<handle>.select(…)…`, `<handle>.query.<table>.findFirst|findMany(…)`
 * or `<handle>.execute(sql\`select …\`)`. `locked` when it takes a row lock
 * (`.for("update")`, `FOR UPDATE` in SQL); `table` and `where` when they can be seen.
 *
 * @typedef {{ locked: boolean, table: string | null, where: any, handle: any, relational: boolean }} Read
 * @param {any} expression
 * @param {(handle: any) => boolean} isHandle
 * @returns {Read | null}
 */
export function readOf(expression, isHandle) {
  const links = chainLinks(expression);
  for (let i = 0; i < links.length; i++) {
    const link = /** @type {import('./ast.js').ChainLink} */ (links[i]);
    if (link.kind !== "call" || link.name === null) continue;
    if (SELECT_METHODS.has(link.name) && isHandle(link.object)) {
      const later = links.slice(i + 1).filter((l) => l.kind === "call");
      const from = later.find((l) => l.name === "from");
      const where = later.find((l) => l.name === "where");
      return {
        locked: later.some((l) => l.name === "for"),
        table: from ? tableName(from.node.arguments[0]) : null,
        where: where?.node.arguments[0] ?? null,
        handle: link.object,
        relational: false,
      };
    }
    if (RELATIONAL_METHODS.has(link.name) && isRelationalQuery(link.object, isHandle)) {
      const config = unwrap(link.node.arguments[0]);
      const whereProperty =
        config?.type === "ObjectExpression"
          ? config.properties.find((/** @type {any} */ p) => p.type === "Property" && propertyKey(p) === "where")
          : null;
      // The relational query API has no row-lock option.
      return {
        locked: false,
        table: propertyName(unwrap(link.object)),
        where: whereProperty?.value ?? null,
        handle: unwrap(unwrap(link.object).object).object,
        relational: true,
      };
    }
    if (link.name === "execute" && isHandle(link.object)) {
      const text = sqlText(link.node.arguments[0]);
      if (text === null) return null;
      const locked = LOCKING_SQL.test(text);
      if (!locked && !SELECT_SQL.test(text)) return null;
      const table = /\bfrom\s+"?(\w+)"?/i.exec(text)?.[1] ?? null;
      return { locked, table, where: null, handle: link.object, relational: false };
    }
  }
  return null;
}

/**
 * A call that locks for the rest of its transaction: a read chain with `.for(…)`, raw
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
  const name = calleeName(call);
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
 * @param {any} property
 * @returns {string | null}
 */
export function propertyKey(property) {
  if (property.computed) return property.key.type === "Literal" ? String(property.key.value) : null;
  if (property.key.type === "Identifier") return property.key.name;
  if (property.key.type === "Literal") return String(property.key.value);
  return null;
}

/**
 * The static text of `sql\`…\`` (or a string literal), interpolations left out.
 * @param {any} node
 * @returns {string | null}
 */
export function sqlText(node) {
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

/**
 * True for a `sql\`…\`` template (Drizzle's SQL expression).
 * @param {any} node
 */
export function isSqlTemplate(node) {
  const target = unwrap(node);
  return target?.type === "TaggedTemplateExpression" && calleeNameOfTag(target.tag) === "sql";
}

/** @param {any} tag */
function calleeNameOfTag(tag) {
  const target = unwrap(tag);
  if (target.type === "Identifier") return target.name;
  if (target.type === "MemberExpression") {
    const object = unwrap(target.object);
    return object.type === "Identifier" ? object.name : propertyName(object);
  }
  return null;
}

/**
 * The column names a WHERE expression mentions (`t.version` → "version"), also inside
 * `and(…)`, `sql\`…${t.col}…\`` and helper calls.
 * @param {any} where
 * @param {Record<string, readonly string[]>} visitorKeys
 * @returns {Set<string>}
 */
export function mentionedColumns(where, visitorKeys) {
  /** @type {Set<string>} */
  const columns = new Set();
  walk(where, visitorKeys, (node) => {
    if (node.type === "MemberExpression") {
      const name = propertyName(node);
      if (name !== null) columns.add(name);
    }
    if (node.type === "Literal" && typeof node.value === "string" && /^\w+$/.test(node.value)) columns.add(node.value);
    return undefined;
  });
  const text = sqlTextsIn(where, visitorKeys);
  for (const word of text.match(/\b[a-z_][a-z0-9_]*\b/gi) ?? []) columns.add(word);
  return columns;
}

/**
 * @param {any} node
 * @param {Record<string, readonly string[]>} visitorKeys
 */
function sqlTextsIn(node, visitorKeys) {
  /** @type {string[]} */
  const texts = [];
  walk(node, visitorKeys, (child) => {
    if (child.type === "TaggedTemplateExpression") texts.push(sqlText(child) ?? "");
    return undefined;
  });
  return texts.join(" ");
}

const IDENTITY_OPERATORS = new Set(["eq", "inArray"]);
const COMBINATORS = new Set(["and", "or"]);

/**
 * True for a constant a state filter compares with: `"queued"`, `true`, `null`, `0`,
 * `["draft", "open"]`, `Status.Open`.
 * @param {any} node
 */
function isConstant(node) {
  const target = unwrap(node);
  if (!target) return false;
  if (target.type === "Literal") return true;
  if (target.type === "TemplateLiteral") return target.expressions.length === 0;
  if (target.type === "UnaryExpression") return isConstant(target.argument);
  if (target.type === "ArrayExpression") return target.elements.length > 0 && target.elements.every(isConstant);
  if (target.type === "MemberExpression") {
    const object = unwrap(target.object);
    return object.type === "Identifier" && /^[A-Z]/.test(object.name) && !target.computed && /^[A-Z]/.test(target.property.name ?? "");
  }
  return false;
}

/**
 * True when a WHERE expression filters on a row's state, not only on which row it is:
 * a comparison with a constant (`eq(t.status, "queued")`, `eq(t.isWelcome, true)`), a
 * range or null test (`lt(t.updatedAt, …)`, `isNull(…)`), raw SQL. A key lookup
 * (`eq(t.id, id)`, `eq(t.email, input.email)`, `inArray(t.id, ids)`) is not. Helper
 * calls the rule cannot see into count as a key lookup.
 * @param {any} where
 * @returns {boolean}
 */
export function filtersOnState(where) {
  const node = unwrap(where);
  if (!node) return false;
  if (node.type === "TaggedTemplateExpression") return true;
  if (node.type !== "CallExpression") return false;
  const name = calleeName(node);
  if (name === null) return false;
  if (COMBINATORS.has(name)) return node.arguments.some((/** @type {any} */ arg) => filtersOnState(arg));
  const column = unwrap(node.arguments[0]);
  if (column?.type !== "MemberExpression" || propertyName(column) === null) return false;
  if (IDENTITY_OPERATORS.has(name)) return !IDENTITY_FIELD.test(propertyName(column) ?? "") && isConstant(node.arguments[1]);
  return true;
}
