/**
 * Transactions as the rules see them: which function's statements run in one (a
 * transaction callback, or a helper handed a transaction handle), whether a lock was
 * taken before a given point (by the same transaction, or by every caller of a helper in
 * this file), and whether the isolation level makes a plain read safe (SERIALIZABLE and
 * REPEATABLE READ fail the loser with 40001 instead of letting a stale read decide).
 */
import { enclosingFunction, functionName, resolveVariable, walk } from "./ast.js";
import { isLockCall } from "./drizzle.js";

/**
 * @param {import('eslint').Rule.RuleContext} context
 * @param {import('./handles.js').Handles} handles
 * @param {{ lockFunctionPattern?: string }} options
 */
export function createTransactions(context, handles, options) {
  const { sourceCode } = context;
  const { visitorKeys } = sourceCode;
  const lockFunction = new RegExp(options.lockFunctionPattern ?? "^lock");
  /** @type {Map<any, number[]>} */
  const lockCache = new Map();
  /** @type {Map<any, boolean>} */
  const callerLockCache = new Map();

  /**
   * The function whose body runs in a transaction and contains `node`: the nearest
   * transaction callback, or the nearest function with a transaction-handle parameter.
   * @param {any} node
   * @returns {any | null}
   */
  function transactionScope(node) {
    for (let fn = enclosingFunction(node); fn && fn.type !== "Program"; fn = enclosingFunction(fn)) {
      if (handles.isTransactionCallback(fn)) return fn;
      if (fn.params.some((/** @type {any} */ param) => paramKind(param) === "tx")) return fn;
    }
    return null;
  }

  /** @param {any} param */
  function paramKind(param) {
    const target = param.type === "AssignmentPattern" ? param.left : param.type === "TSParameterProperty" ? param.parameter : param;
    return target.type === "Identifier" ? handles.kindOf(target) : null;
  }

  /**
   * The transaction call a callback was passed to (`db.transaction(fn, config)`).
   * @param {any} scope
   */
  function hasStrongIsolation(scope) {
    if (!scope || !handles.isTransactionCallback(scope)) return false;
    return scope.parent.arguments.some((/** @type {any} */ arg) => isStrongIsolationConfig(arg));
  }

  /** @param {any} fn */
  function lockEnds(fn) {
    let ends = lockCache.get(fn);
    if (!ends) {
      /** @type {number[]} */
      const found = [];
      walk(fn.body, visitorKeys, (node) => {
        if (isLockCall(node, handles.isHandle, lockFunction)) found.push(node.range[1]);
      });
      ends = found;
      lockCache.set(fn, ends);
    }
    return ends;
  }

  /**
   * True when a lock is held at `node`: its transaction scope (or a function between
   * `node` and that scope) took one earlier, or every call of the helper `node` is in,
   * from this file, happens under a lock.
   * @param {any} node
   * @returns {boolean}
   */
  function lockedAt(node) {
    for (let fn = enclosingFunction(node); fn && fn.type !== "Program"; fn = enclosingFunction(fn)) {
      if (lockEnds(fn).some((end) => end <= node.range[0])) return true;
      if (handles.isTransactionCallback(fn)) return false;
      if (calledUnderLock(fn)) return true;
      if (fn.params.some((/** @type {any} */ param) => paramKind(param) === "tx")) return false;
    }
    return false;
  }

  /**
   * A named helper in this file every one of whose calls here runs under a lock
   * (`claim.ts`'s `resumeExchange`, called after `lockProject`).
   * @param {any} fn
   */
  function calledUnderLock(fn) {
    if (callerLockCache.has(fn)) return /** @type {boolean} */ (callerLockCache.get(fn));
    callerLockCache.set(fn, false);
    const name = functionName(fn);
    let result = false;
    if (name !== null) {
      const identifier = fn.id ?? (fn.parent?.type === "VariableDeclarator" ? fn.parent.id : null);
      const variable = identifier ? resolveVariable(sourceCode, identifier) : null;
      const calls = (variable?.references ?? [])
        .map((reference) => /** @type {any} */ (reference.identifier))
        .filter((id) => id.parent?.type === "CallExpression" && id.parent.callee === id)
        .map((id) => id.parent);
      result = calls.length > 0 && calls.every((call) => lockedAt(call));
    }
    callerLockCache.set(fn, result);
    return result;
  }

  return {
    transactionScope,
    /** @param {any} node */
    inTransaction: (node) => transactionScope(node) !== null,
    /** @param {any} node */
    strongIsolation: (node) => hasStrongIsolation(transactionScope(node)),
    lockedAt,
  };
}

/**
 * `{ isolationLevel: "serializable" }` or `"repeatable read"`.
 * @param {any} arg
 */
function isStrongIsolationConfig(arg) {
  return (
    arg?.type === "ObjectExpression" &&
    arg.properties.some(
      (/** @type {any} */ property) =>
        property.type === "Property" &&
        !property.computed &&
        (property.key.name ?? property.key.value) === "isolationLevel" &&
        property.value.type === "Literal" &&
        ["serializable", "repeatable read"].includes(String(property.value.value).toLowerCase()),
    )
  );
}

/** @typedef {ReturnType<typeof createTransactions>} Transactions */
