/**
 * race/no-unlocked-read-before-write
 *
 * The transaction-only trap: a write inside a transaction, guarded by a condition on a
 * row read with a plain SELECT. A transaction makes the writes atomic, not the
 * decision: under READ COMMITTED two transactions both read `isWelcome = true`, the
 * second one's UPDATE waits for the first to commit, and then its DELETE removes what
 * the first one wrote.
 *
 * Reported: a write `tx.insert|update|delete(…)` on a transaction callback's handle
 * (or a call to a helper handed that handle, `resetWelcomeScene(tx, id)`, unless its
 * name says it only reads: `get…`, `list…`, `find…`, `lock…`, …), inside the
 * consequent or alternate of an `if` / `?:` / `&&` / `switch` whose test reads a variable assigned from an awaited plain read (`tx.select()…` without
 * `.for(…)`, `tx.query.t.findFirst|findMany`, `tx.execute(sql\`select …\`)`), or from a
 * value derived from one. The guard may be inside the callback or around the
 * transaction call (a decision made before the transaction even started).
 *
 * Not reported: reads that lock (`.for("update")`, `FOR UPDATE` in SQL), a decision
 * taken from a conditional write (`UPDATE … WHERE … RETURNING`), and reads made
 * inside the same transaction *after* it took a lock (`lockProject(tx, …)`,
 * a `.for(…)` read, `pg_advisory_xact_lock`): those are serialized by that lock. Nor
 * transactions opened with `isolationLevel: "serializable"` or `"repeatable read"`,
 * where PostgreSQL fails the loser with 40001 instead (retry it).
 */
import {
  assignedExpressions,
  docsUrl,
  isFunction,
  propertyName,
  readIdentifiers,
  resolveVariable,
  unwrap,
  walk,
  withDefaults,
} from "../lib/ast.js";
import {
  DB_OPTIONS_SCHEMA,
  DEFAULT_DB_OPTIONS,
  isDbHandle,
  isLockCall,
  isTransactionCallback,
  readOf,
  transactionHandleName,
  writeCall,
} from "../lib/drizzle.js";

const DEFAULTS = {
  ...DEFAULT_DB_OPTIONS,
  /** Parameter names that hold a transaction handle in helpers (`function f(tx: Transaction)`). */
  transactionNames: ["tx", "trx"],
  /** A call to a function whose name matches this takes a lock for the rest of the transaction. */
  lockFunctionPattern: "^lock",
  /** Treat a call that is handed the transaction handle as a write, unless its name matches `readHelperPattern`. */
  checkHelperCalls: true,
  /** Helpers that only read (`listScenes(tx, id)`), so a guarded call to them is not a write. */
  readHelperPattern: "^(?:get|list|find|select|read|load|fetch|count|has|is|require|lock|assert|check|validate|parse)(?:[A-Z_0-9]|$)",
};

/** @type {import('eslint').Rule.RuleModule} */
const rule = {
  meta: {
    type: "problem",
    docs: {
      description:
        "Disallow a write inside a transaction that is guarded by a row read without a lock (the transaction-only trap)",
      recommended: true,
      url: docsUrl("race-no-unlocked-read-before-write"),
    },
    schema: [
      {
        type: "object",
        properties: {
          ...DB_OPTIONS_SCHEMA,
          transactionNames: { type: "array", items: { type: "string" }, uniqueItems: true },
          lockFunctionPattern: { type: "string" },
          checkHelperCalls: { type: "boolean" },
          readHelperPattern: { type: "string" },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      unlockedRead:
        "This `{{method}}` is guarded by `{{guard}}`, read on line {{readLine}} with a plain select: another transaction can change " +
        "that row between the read and this write, even inside a transaction. Lock the row with .for('update') or use a " +
        "conditional UPDATE … RETURNING.",
    },
  },

  create(context) {
    const options = withDefaults(DEFAULTS, context.options[0]);
    const lockFunction = new RegExp(options.lockFunctionPattern);
    const readHelper = new RegExp(options.readHelperPattern);
    const { sourceCode } = context;
    const { visitorKeys } = sourceCode;

    /**
     * A handle reads can be made on: the root db handle, a transaction callback's
     * parameter, or a parameter conventionally named `tx`.
     * @param {any} node
     */
    function isHandle(node) {
      const target = unwrap(node);
      if (isDbHandle(target, options)) return true;
      if (target?.type !== "Identifier") return false;
      if (options.transactionNames.includes(target.name)) return true;
      const variable = resolveVariable(sourceCode, target);
      const def = variable?.defs[0];
      return def?.type === "Parameter" && isTransactionCallback(def.node, options);
    }

    /** @type {Map<any, number[]>} end offsets of the lock calls in each transaction callback */
    const locksCache = new Map();
    /** @param {any} callback */
    function lockOffsets(callback) {
      let offsets = locksCache.get(callback);
      if (!offsets) {
        /** @type {number[]} */
        const found = [];
        walk(callback.body, visitorKeys, (node) => {
          if (isLockCall(node, isHandle, lockFunction)) found.push(node.range[1]);
        });
        offsets = found;
        locksCache.set(callback, offsets);
      }
      return offsets;
    }

    /**
     * True when a read made at `read` is serialized by a lock its transaction took earlier.
     * @param {any} read
     */
    function afterLock(read) {
      const callback = sourceCode.getAncestors(read).findLast((ancestor) => isTransactionCallback(ancestor, options));
      if (!callback) return false;
      return lockOffsets(callback).some((end) => end <= read.range[0]);
    }

    /**
     * The unlocked read that `expression` depends on, directly (`await tx.select()…`)
     * or through another variable (`const welcome = project?.isWelcome`), if any.
     * @param {any} expression
     * @param {Set<any>} seen
     * @returns {any | null}
     */
    function unlockedReadIn(expression, seen) {
      /** @type {any} */
      let found = null;
      walk(expression, visitorKeys, (node) => {
        if (found) return false;
        if (node.type === "AwaitExpression") {
          const read = readOf(node.argument, isHandle);
          if (read && !read.locked && !afterLock(node)) {
            found = node;
            return false;
          }
        }
        return undefined;
      });
      if (found) return found;
      for (const identifier of readIdentifiers(expression, visitorKeys, { skipAwaited: true })) {
        const read = unlockedReadOfVariable(resolveVariable(sourceCode, identifier), seen);
        if (read) return read;
      }
      return null;
    }

    /**
     * @param {import('eslint').Scope.Variable | null} variable
     * @param {Set<any>} seen
     * @returns {any | null}
     */
    function unlockedReadOfVariable(variable, seen) {
      if (!variable || seen.has(variable)) return null;
      seen.add(variable);
      for (const expression of assignedExpressions(variable)) {
        const read = unlockedReadIn(expression, seen);
        if (read) return read;
      }
      return null;
    }

    /**
     * The tests guarding `node` on the way up to the function that started the
     * transaction: the `if` / `?:` / `&&` / `switch` conditions it is nested under
     * (as a branch, not as part of the test itself).
     * @param {any} node
     * @param {any} callback
     */
    function guardsOf(node, callback) {
      /** @type {any[]} */
      const guards = [];
      let passedCallback = false;
      let child = node;
      for (let parent = node.parent; parent; child = parent, parent = parent.parent) {
        if (parent.type === "IfStatement" && child !== parent.test) guards.push(parent.test);
        else if (parent.type === "ConditionalExpression" && child !== parent.test) guards.push(parent.test);
        else if (parent.type === "LogicalExpression" && child === parent.right) guards.push(parent.left);
        else if (parent.type === "SwitchCase" && child !== parent.test) {
          if (parent.test) guards.push(parent.test);
          guards.push(parent.parent.discriminant);
        }
        if (parent === callback) passedCallback = true;
        else if (passedCallback && isFunction(parent)) break;
      }
      return guards;
    }

    /**
     * The write `node` performs on a transaction handle: a Drizzle write on it
     * (`tx.update(…)`), or a helper handed the handle whose name does not say it only
     * reads (`resetWelcomeScene(tx, id)`, not `listScenes(tx, id)`).
     * @param {any} node
     * @returns {{ method: string, handleName: string } | null}
     */
    function transactionWrite(node) {
      const write = writeCall(node);
      if (write) return write.handle.type === "Identifier" ? { method: write.method, handleName: write.handle.name } : null;
      if (!options.checkHelperCalls) return null;
      const callee = unwrap(node.callee);
      const name = callee.type === "Identifier" ? callee.name : propertyName(callee);
      if (name === null || readHelper.test(name)) return null;
      const handleNames = node.arguments
        .map((/** @type {any} */ arg) => unwrap(arg))
        .filter((/** @type {any} */ arg) => arg?.type === "Identifier")
        .map((/** @type {any} */ arg) => arg.name);
      if (handleNames.length === 0) return null;
      const callback = sourceCode
        .getAncestors(node)
        .findLast((ancestor) => isTransactionCallback(ancestor, options) && handleNames.includes(transactionHandleName(ancestor)));
      return callback ? { method: `${name}(…)`, handleName: /** @type {string} */ (transactionHandleName(callback)) } : null;
    }

    return {
      /** @param {any} node */
      CallExpression(node) {
        const write = transactionWrite(node);
        if (!write) return;
        const callback = sourceCode
          .getAncestors(node)
          .findLast((ancestor) => isTransactionCallback(ancestor, options) && transactionHandleName(ancestor) === write.handleName);
        if (!callback || hasStrongIsolation(callback.parent)) return;

        for (const guard of guardsOf(node, callback)) {
          const read = unlockedReadIn(guard, new Set());
          if (!read) continue;
          context.report({
            node,
            messageId: "unlockedRead",
            data: { method: write.method, guard: abbreviate(sourceCode.getText(guard)), readLine: String(read.loc.start.line) },
          });
          return;
        }
      },
    };
  },
};

/**
 * `db.transaction(fn, { isolationLevel: "serializable" })`: PostgreSQL aborts one of two
 * conflicting transactions (40001) instead of letting a stale read decide, so a plain
 * read is safe there provided the caller retries. REPEATABLE READ also fails the second
 * writer of a row with 40001.
 * @param {any} call
 */
function hasStrongIsolation(call) {
  return call.arguments.some(
    (/** @type {any} */ arg) =>
      arg.type === "ObjectExpression" &&
      arg.properties.some(
        (/** @type {any} */ property) =>
          property.type === "Property" &&
          !property.computed &&
          (property.key.name ?? property.key.value) === "isolationLevel" &&
          property.value.type === "Literal" &&
          ["serializable", "repeatable read"].includes(String(property.value.value).toLowerCase()),
      ),
  );
}

/**
 * @param {string} text
 * @returns {string}
 */
function abbreviate(text) {
  const oneLine = text.replace(/\s+/g, " ");
  return oneLine.length > 60 ? `${oneLine.slice(0, 57)}...` : oneLine;
}

export default rule;
