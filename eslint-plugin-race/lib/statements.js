/**
 * Statements on a handle, found from any node of their builder chain, and helper calls
 * that are handed a handle (`markBuilding(db, id)`, `insertAudit(tx, …)`): to the rules
 * both are database work, as opposed to other awaited work (a model call, an HTTP
 * request) that no transaction should be held across.
 */
import { chainLinks, propertyName, unwrap } from "./ast.js";
import { STATEMENT_METHODS } from "./drizzle.js";

/**
 * The statement a builder chain starts on a handle: `db.update(t).set(v)` → update on
 * `db`; `tx.query.users.findFirst()` → query on `tx`.
 * @param {any} expression
 * @param {import('./handles.js').Handles} handles
 * @returns {{ method: string, handle: any, call: any } | null}
 */
export function statementOf(expression, handles) {
  for (const link of chainLinks(expression)) {
    if (link.kind === "call" && link.name !== null && STATEMENT_METHODS.has(link.name) && handles.isHandle(link.object)) {
      return { method: link.name, handle: link.object, call: link.node };
    }
    if (link.kind === "member" && link.name === "query" && handles.isHandle(link.object)) {
      return { method: "query", handle: link.object, call: link.node };
    }
  }
  return null;
}

/**
 * The first argument of `call` that is a handle, if any.
 * @param {any} call
 * @param {import('./handles.js').Handles} handles
 * @returns {any | null}
 */
export function handleArgument(call, handles) {
  if (call?.type !== "CallExpression") return null;
  return call.arguments.map((/** @type {any} */ arg) => unwrap(arg)).find((/** @type {any} */ arg) => handles.isHandle(arg)) ?? null;
}

/**
 * True when an awaited expression is database work: a statement on a handle, a helper
 * handed one, or `Promise.all` over those.
 * @param {any} expression
 * @param {import('./handles.js').Handles} handles
 * @returns {boolean}
 */
export function isDatabaseWork(expression, handles) {
  const node = unwrap(expression);
  if (!node) return false;
  if (statementOf(node, handles)) return true;
  if (node.type !== "CallExpression") return false;
  if (handleArgument(node, handles)) return true;
  const callee = unwrap(node.callee);
  if (callee.type === "MemberExpression" && propertyName(callee) !== null && /^(?:all|allSettled)$/.test(propertyName(callee) ?? "")) {
    const list = unwrap(node.arguments[0]);
    return list?.type === "ArrayExpression" && list.elements.length > 0 && list.elements.every((/** @type {any} */ e) => e && isDatabaseWork(e, handles));
  }
  return false;
}
