/**
 * Where a value comes from: which awaited database reads an expression's value derives
 * from, and through which fields (`project.isWelcome` → the project read, field
 * `isWelcome`; `const [{ status }] = await db.select()…` → field `status`). An awaited
 * call that is not a read is a new value (`await insertScene(tx, project.id)` is not the
 * project). Nested functions are not entered, except that an array callback's parameter
 * comes from the array (`rows.map((row) => row.id)`).
 *
 * The rules ask: is this test a decision on a row's state (a field that can change), on
 * its version, or only on whether it exists?
 */
import { propertyName, resolveVariable, unwrap } from "./ast.js";
import { IDENTITY_FIELD, readOf, VERSION_FIELD } from "./drizzle.js";

/** Methods that pass an array's (or a row's) origin on without naming a field. */
const PASSTHROUGH = new Set([
  "at", "filter", "find", "findLast", "map", "flatMap", "slice", "toSorted", "toReversed", "sort", "reverse", "concat",
  "some", "every", "includes", "forEach", "reduce", "values", "entries", "keys", "flat", "with", "toString", "valueOf",
  "getTime", "toISOString", "trim", "toLowerCase", "toUpperCase",
]);
const ARRAY_CALLBACK_METHODS = new Set(["map", "flatMap", "filter", "find", "findLast", "some", "every", "forEach", "reduce"]);

/**
 * @typedef {import('./drizzle.js').Read & { node: any, guarded: boolean, inTransaction: boolean }} TrackedRead
 *   `guarded`: locked, read after a lock, or in a SERIALIZABLE / REPEATABLE READ transaction
 * @typedef {{ read: TrackedRead, fields: string[] }} Origin
 */

/**
 * @param {import('eslint').Rule.RuleContext} context
 * @param {import('./handles.js').Handles} handles
 * @param {import('./transactions.js').Transactions} transactions
 */
export function createReads(context, handles, transactions) {
  const { sourceCode } = context;
  const { visitorKeys } = sourceCode;
  /** @type {Map<any, TrackedRead | null>} */
  const readCache = new Map();

  /**
   * The read an `await` performs, if it is one.
   * @param {any} awaitNode
   * @returns {TrackedRead | null}
   */
  function readAt(awaitNode) {
    if (readCache.has(awaitNode)) return /** @type {TrackedRead | null} */ (readCache.get(awaitNode));
    const read = readOf(awaitNode.argument, handles.isHandle);
    /** @type {TrackedRead | null} */
    const tracked = read
      ? {
          ...read,
          node: awaitNode,
          guarded: read.locked || transactions.lockedAt(awaitNode) || transactions.strongIsolation(awaitNode),
          inTransaction: transactions.inTransaction(awaitNode),
        }
      : null;
    readCache.set(awaitNode, tracked);
    return tracked;
  }

  /**
   * The reads `expression`'s value derives from.
   * @param {any} expression
   * @param {Set<any>} [seen]
   * @returns {Origin[]}
   */
  function originsOf(expression, seen = new Set()) {
    const node = unwrap(expression);
    if (!node || typeof node.type !== "string") return [];
    switch (node.type) {
      case "AwaitExpression": {
        const read = readAt(node);
        return read ? [{ read, fields: [] }] : [];
      }
      case "Identifier":
        return originsOfVariable(resolveVariable(sourceCode, node), seen);
      case "MemberExpression": {
        const name = node.computed && node.property.type !== "Literal" ? null : propertyName(node);
        const base = originsOf(node.object, seen);
        const computed = node.computed ? originsOf(node.property, seen) : [];
        if (name === null || PASSTHROUGH.has(name) || /^\d+$/.test(name)) return [...base, ...computed];
        return [...base.map((origin) => ({ read: origin.read, fields: [...origin.fields, name] })), ...computed];
      }
      case "FunctionExpression":
      case "ArrowFunctionExpression":
      case "FunctionDeclaration":
      case "ClassExpression":
        return [];
      case "Property":
        return [...(node.computed ? originsOf(node.key, seen) : []), ...originsOf(node.value, seen)];
      default: {
        if (node.type.startsWith("TS")) return [];
        /** @type {Origin[]} */
        const found = [];
        for (const key of visitorKeys[node.type] ?? []) {
          const child = node[key];
          for (const item of Array.isArray(child) ? child : [child]) {
            if (item && typeof item.type === "string") found.push(...originsOf(item, seen));
          }
        }
        return found;
      }
    }
  }

  /**
   * @param {import('eslint').Scope.Variable | null} variable
   * @param {Set<any>} seen
   * @returns {Origin[]}
   */
  function originsOfVariable(variable, seen) {
    if (!variable || seen.has(variable)) return [];
    // `seen` holds the variables on the current path only (a cycle guard): the same
    // variable read twice in one expression (`row && row.status`) is followed both times.
    seen.add(variable);
    try {
      return originsOfDefinition(variable, seen);
    } finally {
      seen.delete(variable);
    }
  }

  /**
   * @param {import('eslint').Scope.Variable} variable
   * @param {Set<any>} seen
   * @returns {Origin[]}
   */
  function originsOfDefinition(variable, seen) {
    /** @type {Origin[]} */
    const found = [];
    const def = variable.defs[0];
    if (def?.type === "Parameter") {
      const fn = def.node;
      const call = fn.parent;
      if (call?.type === "CallExpression" && call.arguments[0] === fn && fn.params[0] === def.name) {
        const callee = unwrap(call.callee);
        const method = propertyName(callee);
        if (method !== null && ARRAY_CALLBACK_METHODS.has(method)) found.push(...originsOf(callee.object, seen));
      }
      return found;
    }
    for (const reference of variable.references) {
      if (!reference.writeExpr) continue;
      const path = def?.type === "Variable" ? patternPath(def.node.id, /** @type {any} */ (reference.identifier)) : [];
      for (const origin of originsOf(reference.writeExpr, seen)) {
        found.push({ read: origin.read, fields: [...origin.fields, ...(path ?? [])] });
      }
    }
    return found;
  }

  return { readAt, originsOf };
}

/**
 * The object keys leading from a declaration pattern to `identifier`:
 * `const [{ status }] = …` → ["status"]; `const row = …` → [].
 * @param {any} pattern
 * @param {any} identifier
 * @returns {string[] | null}
 */
function patternPath(pattern, identifier) {
  if (!pattern) return null;
  if (pattern === identifier) return [];
  if (pattern.type === "AssignmentPattern") return patternPath(pattern.left, identifier);
  if (pattern.type === "ArrayPattern") {
    for (const element of pattern.elements) {
      const found = element && patternPath(element.type === "RestElement" ? element.argument : element, identifier);
      if (found) return found;
    }
  }
  if (pattern.type === "ObjectPattern") {
    for (const property of pattern.properties) {
      if (property.type === "RestElement") {
        const found = patternPath(property.argument, identifier);
        if (found) return found;
        continue;
      }
      const found = patternPath(property.value, identifier);
      if (found) {
        const key = property.computed ? null : property.key.name ?? property.key.value;
        return key === null || key === undefined ? found : [String(key), ...found];
      }
    }
  }
  return null;
}

/**
 * What a test decides on, for one origin: `"state"` when it reads a field that can
 * change (`status`, `isWelcome`, `balance`), `"version"` when the only such field is a
 * version, `"existence"` when it only asks whether the row (or a row) is there
 * (`!row`, `rows.length === 0`, `row.id`).
 * @param {Origin} origin
 * @returns {"state" | "version" | "existence"}
 */
export function decisionKind(origin) {
  const fields = origin.fields.filter((field) => field !== "length" && !IDENTITY_FIELD.test(field));
  if (fields.length === 0) return "existence";
  if (fields.every((field) => VERSION_FIELD.test(field))) return "version";
  return "state";
}

/**
 * The fields of an origin that can change (neither identity nor `length`).
 * @param {Origin} origin
 */
export function stateFields(origin) {
  return origin.fields.filter((field) => field !== "length" && !IDENTITY_FIELD.test(field));
}

/** @typedef {ReturnType<typeof createReads>} Reads */
