/**
 * Which expressions hold a database handle, and which kind:
 *
 * - `"db"`: the root handle (a pool): every statement on it is its own transaction;
 * - `"tx"`: a transaction handle: statements on it share one connection and one transaction;
 * - `"either"`: a helper's parameter typed as both (`Executor = Database | Transaction`).
 *
 * With typed linting (typescript-eslint's `parserServices.program`), the type decides:
 * anything whose type is, extends or is an intersection with Drizzle's `PgTransaction`
 * (or the MySQL/SQLite ones) is a transaction, `PgDatabase` (`PostgresJsDatabase`,
 * `NodePgDatabase`, … extend it) the root handle, and a typed value of any other type is
 * no handle at all, whatever its name (a Dexie `db`, a `Map` called `tx`). Without types,
 * or where the type is `any`, names decide: `db`, `ctx.db`, `this.db`, `getDb()`, `tx` /
 * `trx`, the parameter of a transaction callback, and parameters annotated with a type
 * named like `Transaction`, `Database` or `Executor`.
 */
import { calleeName, propertyName, resolveVariable, unwrap } from "./ast.js";

/** @typedef {"db" | "tx" | "either"} HandleKind */

/**
 * @typedef {object} HandleOptions
 * @property {string[]} dbNames                identifiers (and `x.<name>` properties) holding the root handle
 * @property {string[]} dbFactories            functions returning it (`getDb()`)
 * @property {string[]} transactionNames       identifiers holding a transaction handle
 * @property {string[]} transactionFunctions   helpers running a callback in a transaction (`withTransaction(db, fn)`)
 */

/** @type {HandleOptions} */
export const DEFAULT_HANDLE_OPTIONS = {
  dbNames: ["db"],
  dbFactories: ["getDb"],
  transactionNames: ["tx", "trx"],
  transactionFunctions: ["withTransaction"],
};

const stringList = { type: "array", items: { type: "string" }, uniqueItems: true };

/** JSON schema properties for {@link HandleOptions}, for a rule's `meta.schema`. */
export const HANDLE_OPTIONS_SCHEMA = {
  dbNames: stringList,
  dbFactories: stringList,
  transactionNames: stringList,
  transactionFunctions: stringList,
};

const TRANSACTION_TYPES = new Set(["PgTransaction", "MySqlTransaction", "SQLiteTransaction"]);
const DATABASE_TYPES = new Set(["PgDatabase", "MySqlDatabase", "BaseSQLiteDatabase"]);
const TRANSACTION_ANNOTATION = /(?:Transaction|^Tx|^Trx)$/;
const EXECUTOR_ANNOTATION = /(?:Executor|Queryable)$/;
const DATABASE_ANNOTATION = /(?:Database|^Db|^DB)$/;

// ts.TypeFlags.Any | ts.TypeFlags.Unknown (stable since TypeScript 2): the checker knows nothing.
const UNKNOWN_TYPE_FLAGS = 1 | 2;
// ts.TypeFlags.Null | Undefined | Void: the `| undefined` of an optional handle.
const NULLISH_TYPE_FLAGS = 65536 | 32768 | 16384;

/**
 * @param {import('eslint').Rule.RuleContext} context
 * @param {HandleOptions} options
 */
export function createHandles(context, options) {
  const { sourceCode } = context;
  const services = /** @type {any} */ (sourceCode.parserServices);
  const program = services?.program ?? null;
  const checker = program?.getTypeChecker?.() ?? null;
  /** @type {WeakMap<any, HandleKind | null>} */
  const nodeCache = new WeakMap();
  /** @type {Map<any, HandleKind | null | "unknown">} */
  const typeCache = new Map();

  /**
   * @param {any} type
   * @param {Set<any>} seen
   * @returns {HandleKind | null | "unknown"}
   */
  function kindOfType(type, seen) {
    if (!type || seen.has(type)) return null;
    const cached = typeCache.get(type);
    if (cached !== undefined) return cached;
    seen.add(type);
    /** @type {HandleKind | null | "unknown"} */
    let kind = null;
    if (type.flags & UNKNOWN_TYPE_FLAGS) kind = "unknown";
    else if (type.isUnion?.()) {
      const kinds = type.types
        .filter((/** @type {any} */ member) => !(member.flags & NULLISH_TYPE_FLAGS))
        .map((/** @type {any} */ member) => kindOfType(member, seen));
      if (kinds.includes("unknown")) kind = "unknown";
      else if (kinds.length > 0 && kinds.every((/** @type {any} */ k) => k === "tx")) kind = "tx";
      else if (kinds.length > 0 && kinds.every((/** @type {any} */ k) => k === "db")) kind = "db";
      else if (kinds.length > 0 && kinds.every((/** @type {any} */ k) => k !== null)) kind = "either";
    } else if (type.isIntersection?.()) {
      const kinds = type.types.map((/** @type {any} */ member) => kindOfType(member, seen));
      kind = kinds.find((/** @type {any} */ k) => k === "tx") ?? kinds.find((/** @type {any} */ k) => k === "db") ?? null;
    } else {
      const names = typeNames(type, new Set());
      if ([...names].some((name) => TRANSACTION_TYPES.has(name))) kind = "tx";
      else if ([...names].some((name) => DATABASE_TYPES.has(name))) kind = "db";
    }
    typeCache.set(type, kind);
    return kind;
  }

  /**
   * The type's own name and those of the classes/interfaces it extends.
   * @param {any} type
   * @param {Set<string>} names
   * @returns {Set<string>}
   */
  function typeNames(type, names) {
    const symbol = type.getSymbol?.() ?? type.symbol;
    const name = symbol?.getName?.();
    if (name && names.has(name)) return names;
    if (name) names.add(name);
    const alias = type.aliasSymbol?.getName?.();
    if (alias) names.add(alias);
    const target = type.target ?? type;
    if (target.isClassOrInterface?.()) {
      let bases = [];
      try {
        bases = checker.getBaseTypes(target) ?? [];
      } catch {
        bases = [];
      }
      for (const base of bases) typeNames(base, names);
    }
    return names;
  }

  /**
   * @param {any} node
   * @returns {HandleKind | null | "unknown"}
   */
  function kindFromTypes(node) {
    if (!checker || !services.esTreeNodeToTSNodeMap) return "unknown";
    try {
      const tsNode = services.esTreeNodeToTSNodeMap.get(node);
      if (!tsNode) return "unknown";
      return kindOfType(checker.getTypeAtLocation(tsNode), new Set());
    } catch {
      return "unknown";
    }
  }

  /**
   * @param {any} annotation a TSTypeAnnotation
   * @returns {HandleKind | null}
   */
  function kindFromAnnotation(annotation) {
    const type = annotation?.typeAnnotation;
    if (!type) return null;
    if (type.type === "TSUnionType") {
      const kinds = type.types.map((/** @type {any} */ member) => kindFromAnnotation({ typeAnnotation: member }));
      const handles = kinds.filter((/** @type {any} */ k) => k !== null);
      if (handles.length === 0) return null;
      if (handles.every((/** @type {any} */ k) => k === handles[0])) return handles[0];
      return "either";
    }
    if (type.type !== "TSTypeReference") return null;
    const name = type.typeName.type === "Identifier" ? type.typeName.name : type.typeName.right?.name;
    if (!name) return null;
    if (TRANSACTION_ANNOTATION.test(name)) return "tx";
    if (EXECUTOR_ANNOTATION.test(name)) return "either";
    if (DATABASE_ANNOTATION.test(name)) return "db";
    return null;
  }

  /**
   * @param {any} node
   * @param {Set<any>} seen
   * @returns {HandleKind | null}
   */
  function kindFromNames(node, seen) {
    if (node.type === "Identifier") {
      const variable = resolveVariable(sourceCode, node);
      const def = variable?.defs[0];
      if (def?.type === "Parameter") {
        const first = def.node.params[0];
        if ((first === def.name || first?.left === def.name) && isTransactionCallback(def.node)) return "tx";
        const annotated = kindFromAnnotation(def.name.typeAnnotation);
        if (annotated) return annotated;
      }
      if (options.transactionNames.includes(node.name)) return "tx";
      if (options.dbNames.includes(node.name)) return "db";
      if (def?.type === "Variable" && def.node.id === def.name && def.node.init && !seen.has(def.node)) {
        seen.add(def.node);
        const init = unwrap(def.node.init);
        return init.type === "AwaitExpression" ? null : kindFromNames(init, seen);
      }
      return null;
    }
    if (node.type === "MemberExpression") {
      const name = propertyName(node);
      if (name !== null && options.dbNames.includes(name)) return "db";
      if (name !== null && options.transactionNames.includes(name)) return "tx";
      return null;
    }
    if (node.type === "CallExpression") {
      const name = calleeName(node);
      return name !== null && options.dbFactories.includes(name) ? "db" : null;
    }
    return null;
  }

  /**
   * The kind of handle `node` holds, or null when it is none.
   * @param {any} node
   * @returns {HandleKind | null}
   */
  function kindOf(node) {
    const target = unwrap(node);
    if (!target || (target.type !== "Identifier" && target.type !== "MemberExpression" && target.type !== "CallExpression")) {
      return null;
    }
    if (nodeCache.has(target)) return /** @type {HandleKind | null} */ (nodeCache.get(target));
    const typed = kindFromTypes(target);
    const kind = typed === "unknown" ? kindFromNames(target, new Set()) : typed;
    nodeCache.set(target, kind);
    return kind;
  }

  /**
   * `h.transaction(fn)` on a handle (any `.transaction(fn)` without types), or
   * `withTransaction(h, fn)`.
   * @param {any} call
   */
  function isTransactionCall(call) {
    if (call?.type !== "CallExpression") return false;
    const callee = unwrap(call.callee);
    if (callee.type === "Identifier") return options.transactionFunctions.includes(callee.name);
    const name = propertyName(callee);
    if (name !== null && options.transactionFunctions.includes(name)) return true;
    if (name !== "transaction") return false;
    const typed = kindFromTypes(unwrap(callee.object));
    return typed === "unknown" || typed !== null;
  }

  /**
   * A function passed to a transaction call: its statements run inside the transaction.
   * @param {any} fn
   */
  function isTransactionCallback(fn) {
    const parent = fn?.parent;
    return (
      (fn.type === "ArrowFunctionExpression" || fn.type === "FunctionExpression") &&
      parent?.type === "CallExpression" &&
      parent.arguments.includes(fn) &&
      isTransactionCall(parent)
    );
  }

  return {
    kindOf,
    /** @param {any} node */
    isHandle: (node) => kindOf(node) !== null,
    isTransactionCall,
    isTransactionCallback,
    typed: Boolean(checker),
  };
}

/** @typedef {ReturnType<typeof createHandles>} Handles */
