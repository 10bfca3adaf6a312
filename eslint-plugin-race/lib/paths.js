/**
 * Enough control flow for the rules to tell paths apart without a full CFG: whether a
 * statement always leaves its block, whether two statements can run in one call (not
 * when they sit in two branches of one `if` / `?:` / `switch`, in a `try` and its
 * `catch`, or when the first is followed by a `return` / `throw`), and which tests
 * guard a node (the conditions it is nested under, and the early exits before it).
 */
import { isFunction } from "./ast.js";

const LIST_KEYS = /** @type {const} */ (["body", "consequent"]);

/**
 * True when `statement` never completes normally: it returns or throws on every path
 * (also `break` / `continue` when `loopExits` is set, for guards inside loops).
 * @param {any} statement
 * @param {{ loopExits?: boolean }} [options]
 * @returns {boolean}
 */
export function alwaysExits(statement, options = {}) {
  if (!statement) return false;
  switch (statement.type) {
    case "ReturnStatement":
    case "ThrowStatement":
      return true;
    case "BreakStatement":
    case "ContinueStatement":
      return Boolean(options.loopExits);
    case "BlockStatement":
      return statement.body.some((/** @type {any} */ child) => alwaysExits(child, options));
    case "IfStatement":
      return Boolean(statement.alternate) && alwaysExits(statement.consequent, options) && alwaysExits(statement.alternate, options);
    case "TryStatement":
      if (statement.finalizer && alwaysExits(statement.finalizer, options)) return true;
      return alwaysExits(statement.block, options) && (!statement.handler || alwaysExits(statement.handler.body, options));
    case "ExpressionStatement":
      return isProcessExit(statement.expression);
    default:
      return false;
  }
}

/** @param {any} expression */
function isProcessExit(expression) {
  return (
    expression?.type === "CallExpression" &&
    expression.callee.type === "MemberExpression" &&
    expression.callee.object.type === "Identifier" &&
    expression.callee.object.name === "process" &&
    expression.callee.property.name === "exit"
  );
}

/**
 * The chain of ancestors of `node`, nearest first, with the child each was reached from.
 * @param {any} node
 * @returns {{ parent: any, child: any }[]}
 */
function ancestry(node) {
  const chain = [];
  for (let child = node, parent = node.parent; parent; child = parent, parent = parent.parent) {
    chain.push({ parent, child });
  }
  return chain;
}

/**
 * The statement list `parent` holds `child` in, if any.
 * @param {any} parent
 * @param {any} child
 * @returns {any[] | null}
 */
function listHolding(parent, child) {
  for (const key of LIST_KEYS) {
    const list = parent[key];
    if (Array.isArray(list) && list.includes(child)) return list;
  }
  return null;
}

/**
 * True when `first` (earlier in the source) and `second` can both run in one call of
 * the function that contains both.
 * @param {any} first
 * @param {any} second
 * @returns {boolean}
 */
export function canBothRun(first, second) {
  const firstChain = ancestry(first);
  const firstParents = new Map(firstChain.map(({ parent, child }) => [parent, child]));
  let common = null;
  let secondChild = second;
  for (const { parent, child } of ancestry(second)) {
    if (firstParents.has(parent)) {
      common = parent;
      secondChild = child;
      break;
    }
  }
  if (!common) return true;
  const firstChild = firstParents.get(common);

  switch (common.type) {
    case "IfStatement":
    case "ConditionalExpression":
      if (firstChild !== common.test && secondChild !== common.test) return false;
      break;
    case "SwitchStatement": {
      const from = common.cases.indexOf(firstChild);
      const to = common.cases.indexOf(secondChild);
      if (from >= 0 && to > from) {
        const fallsThrough = common.cases
          .slice(from, to)
          .every((/** @type {any} */ c) => !c.consequent.some((/** @type {any} */ s) => alwaysExits(s, { loopExits: true })));
        if (!fallsThrough) return false;
      }
      break;
    }
    case "TryStatement":
      if (firstChild === common.block && secondChild === common.handler) return false;
      break;
    default:
      break;
  }

  if (exclusiveTests(first, second, common)) return false;

  // After `first`, does control leave the function before it gets back to `common`?
  for (const { parent, child } of firstChain) {
    if (parent === common) break;
    if (isFunction(parent)) return true;
    if (parent.type === "ReturnStatement" || parent.type === "ThrowStatement") return false;
    const list = listHolding(parent, child);
    if (list && list.slice(list.indexOf(child) + 1).some((statement) => alwaysExits(statement))) return false;
  }
  // Within `common`'s own list: an exit between the two statements.
  const list = listHolding(common, firstChild);
  if (list && list.includes(secondChild)) {
    const between = list.slice(list.indexOf(firstChild) + 1, list.indexOf(secondChild));
    if (between.some((statement) => alwaysExits(statement))) return false;
  }
  return true;
}

/**
 * The tests that decide whether `node` runs, from `node` up to (and, through
 * transparent functions, beyond) its function: the conditions of the `if` / `?:` /
 * `&&` / `||` / `??` / `switch` it is a branch of, and the tests of earlier `if`s in
 * enclosing blocks whose branch returns, throws, breaks or continues (early exits).
 *
 * `branch` is the part of the code the test decides on: the `if` branch or `case` that
 * holds `node`, or for an early exit the statements after it.
 *
 * @typedef {{ test: any, kind: "branch" | "exit", branch: any }} Guard
 * @param {any} node
 * @param {(fn: any) => boolean} transparent functions whose caller's guards count too (transaction callbacks)
 * @returns {Guard[]}
 */
export function guardsOf(node, transparent) {
  /** @type {Guard[]} */
  const guards = [];
  for (const { parent, child } of ancestry(node)) {
    if (isFunction(child) && !transparent(child)) break;
    if (parent.type === "IfStatement" && child !== parent.test) guards.push({ test: parent.test, kind: "branch", branch: child });
    else if (parent.type === "ConditionalExpression" && child !== parent.test) guards.push({ test: parent.test, kind: "branch", branch: child });
    else if (parent.type === "LogicalExpression" && child === parent.right) guards.push({ test: parent.left, kind: "branch", branch: child });
    else if (parent.type === "SwitchCase" && child !== parent.test) {
      if (parent.test) guards.push({ test: parent.test, kind: "branch", branch: parent });
      guards.push({ test: parent.parent.discriminant, kind: "branch", branch: parent });
    }
    const list = listHolding(parent, child);
    if (!list) continue;
    for (const statement of list.slice(0, list.indexOf(child))) {
      if (statement.type !== "IfStatement") continue;
      const exits =
        alwaysExits(statement.consequent, { loopExits: true }) ||
        (statement.alternate && alwaysExits(statement.alternate, { loopExits: true }));
      if (exits) guards.push({ test: statement.test, kind: "exit", branch: parent });
    }
  }
  return guards;
}

/**
 * The `if` tests below `stop` that must be true for `node` to run, as `value === constant`
 * pairs: `if (kind === "a")` → { subject: "kind", value: "a" }.
 * @param {any} node
 * @param {any} stop
 * @returns {{ subject: string, value: unknown }[]}
 */
function equalityTests(node, stop) {
  /** @type {{ subject: string, value: unknown }[]} */
  const tests = [];
  for (const { parent, child } of ancestry(node)) {
    if (parent === stop || isFunction(parent)) break;
    if (parent.type !== "IfStatement" || child !== parent.consequent) continue;
    const test = parent.test;
    if (test.type !== "BinaryExpression" || (test.operator !== "===" && test.operator !== "==")) continue;
    const [subject, constant] = test.right.type === "Literal" ? [test.left, test.right] : [test.right, test.left];
    if (constant.type !== "Literal" || subject.type === "Literal") continue;
    tests.push({ subject: subjectKey(subject), value: constant.value });
  }
  return tests;
}

/** @param {any} node */
function subjectKey(node) {
  if (node.type === "Identifier") return node.name;
  if (node.type === "MemberExpression" && !node.computed) return `${subjectKey(node.object)}.${node.property.name}`;
  if (node.type === "ChainExpression") return subjectKey(node.expression);
  return `@${node.range[0]}`;
}

/**
 * True when `first` and `second` sit in separate `if`s that test one value against two
 * different constants (`if (kind === "a") …; if (kind === "b") …`): both cannot be true.
 * @param {any} first
 * @param {any} second
 * @param {any} common
 */
function exclusiveTests(first, second, common) {
  const firstTests = equalityTests(first, common);
  if (firstTests.length === 0) return false;
  const secondTests = equalityTests(second, common);
  return firstTests.some((a) => secondTests.some((b) => a.subject === b.subject && a.value !== b.value));
}
