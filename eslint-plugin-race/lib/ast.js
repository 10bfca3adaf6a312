/**
 * Small, dependency-free AST helpers shared by the race rules. They work on the
 * ESTree produced by espree or @typescript-eslint/parser (TypeScript wrappers such as
 * `x as T` and `x!` are looked through).
 */

const TS_WRAPPERS = new Set([
  "TSAsExpression",
  "TSNonNullExpression",
  "TSSatisfiesExpression",
  "TSTypeAssertion",
  "TSInstantiationExpression",
  "ChainExpression",
]);

/**
 * Looks through `x as T`, `x!`, `x satisfies T`, `<T>x` and optional chains.
 * @param {any} node
 * @returns {any}
 */
export function unwrap(node) {
  let current = node;
  while (current && TS_WRAPPERS.has(current.type)) current = current.expression;
  return current;
}

/**
 * The static name of a member expression's property (`a.b` and `a["b"]`), or null.
 * @param {any} member
 * @returns {string | null}
 */
export function propertyName(member) {
  if (!member || member.type !== "MemberExpression") return null;
  const { property } = member;
  if (!member.computed && property.type === "Identifier") return property.name;
  if (member.computed && property.type === "Literal" && typeof property.value === "string") return property.value;
  return null;
}

const FUNCTION_TYPES = new Set(["FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression"]);

/**
 * @param {any} node
 * @returns {boolean}
 */
export function isFunction(node) {
  return Boolean(node) && FUNCTION_TYPES.has(node.type);
}

/**
 * The links of a call/member chain, innermost first: for `db.update(t).set(v).where(w)`
 * that is `update(t)`, `set(v)`, `where(w)`, each with the expression it was called on.
 *
 * @typedef {{ kind: "call" | "member", name: string | null, node: any, object: any }} ChainLink
 * @param {any} expression
 * @returns {ChainLink[]}
 */
export function chainLinks(expression) {
  /** @type {ChainLink[]} */
  const links = [];
  let node = unwrap(expression);
  while (node) {
    if (node.type === "CallExpression") {
      const callee = unwrap(node.callee);
      if (callee.type !== "MemberExpression") break;
      links.push({ kind: "call", name: propertyName(callee), node, object: unwrap(callee.object) });
      node = unwrap(callee.object);
    } else if (node.type === "MemberExpression") {
      links.push({ kind: "member", name: propertyName(node), node, object: unwrap(node.object) });
      node = unwrap(node.object);
    } else {
      break;
    }
  }
  return links.reverse();
}

/**
 * From a node inside a chain, the outermost expression of that chain: for the
 * `db.update(t)` call in `await db.update(t).set(v).where(w)` it is the `.where(w)` call.
 * @param {any} node
 * @returns {any}
 */
export function outermostChain(node) {
  let current = node;
  for (;;) {
    const parent = current.parent;
    if (!parent) return current;
    if (parent.type === "MemberExpression" && parent.object === current) current = parent;
    else if (parent.type === "CallExpression" && parent.callee === current) current = parent;
    else if (TS_WRAPPERS.has(parent.type)) current = parent;
    else return current;
  }
}

/**
 * True when the chain that `node` belongs to is the operand of an `await`.
 * @param {any} node
 * @returns {boolean}
 */
export function isAwaited(node) {
  const top = outermostChain(node);
  return top.parent?.type === "AwaitExpression" && top.parent.argument === top;
}

/**
 * Depth-first walk over `node`'s subtree. `enter` returns false to skip a node's
 * children. Nested functions are skipped unless `intoFunctions` is set.
 *
 * @param {any} node
 * @param {Record<string, readonly string[]>} visitorKeys
 * @param {(node: any) => boolean | void} enter
 * @param {{ intoFunctions?: boolean }} [options]
 */
export function walk(node, visitorKeys, enter, options = {}) {
  if (!node || typeof node.type !== "string") return;
  if (enter(node) === false) return;
  const keys = visitorKeys[node.type] ?? [];
  for (const key of keys) {
    const child = node[key];
    const children = Array.isArray(child) ? child : [child];
    for (const item of children) {
      if (!item || typeof item.type !== "string") continue;
      if (!options.intoFunctions && isFunction(item)) continue;
      walk(item, visitorKeys, enter, options);
    }
  }
}

/**
 * The variable an identifier refers to, looked up by name from the innermost scope.
 * @param {import('eslint').SourceCode} sourceCode
 * @param {any} identifier
 * @returns {import('eslint').Scope.Variable | null}
 */
export function resolveVariable(sourceCode, identifier) {
  for (let scope = sourceCode.getScope(identifier); scope; scope = scope.upper) {
    const variable = scope.set.get(identifier.name);
    if (variable) return variable;
  }
  return null;
}

/**
 * The name a function is known by: its own (`function ChatPanel`), or the variable it
 * is assigned to, looking through wrapper calls (`const Panel = memo(() => …)`).
 * @param {any} fn
 * @returns {string | null}
 */
export function functionName(fn) {
  if (fn.id?.type === "Identifier") return fn.id.name;
  let child = fn;
  let parent = fn.parent;
  while (parent?.type === "CallExpression" && parent.arguments.includes(child)) {
    child = parent;
    parent = parent.parent;
  }
  if (parent?.type === "VariableDeclarator" && parent.id.type === "Identifier" && parent.init === child) {
    return parent.id.name;
  }
  if (parent?.type === "AssignmentExpression" && parent.left.type === "Identifier" && parent.right === child) {
    return parent.left.name;
  }
  if ((parent?.type === "Property" || parent?.type === "MethodDefinition") && parent.value === child) {
    return parent.key?.type === "Identifier" ? parent.key.name : null;
  }
  return null;
}

/**
 * A node's source text on one line, shortened to `max` characters for a message,
 * keeping its start (or, with `keepEnd`, its end: `…registry.register`).
 * @param {string} text
 * @param {number} [max]
 * @param {{ keepEnd?: boolean }} [options]
 * @returns {string}
 */
export function abbreviate(text, max = 60, options = {}) {
  const oneLine = text.replace(/\s+/g, " ");
  if (oneLine.length <= max) return oneLine;
  return options.keepEnd ? `…${oneLine.slice(-(max - 1))}` : `${oneLine.slice(0, max - 3)}...`;
}

/**
 * The name a call is made by: `f` in `f(x)`, `m` in `a.b.m(x)`, or null.
 * @param {any} call
 * @returns {string | null}
 */
export function calleeName(call) {
  if (call?.type !== "CallExpression") return null;
  const callee = unwrap(call.callee);
  if (callee?.type === "Identifier") return callee.name;
  return propertyName(callee);
}

/**
 * The innermost function (or the Program) that contains `node`.
 * @param {any} node
 * @returns {any}
 */
export function enclosingFunction(node) {
  for (let current = node.parent; current; current = current.parent) {
    if (isFunction(current)) return current;
    if (current.type === "Program") return current;
  }
  return null;
}

/**
 * Shallow option merge for rules whose single option is an object.
 * @template {Record<string, unknown>} T
 * @param {T} defaults
 * @param {unknown} given
 * @returns {T}
 */
export function withDefaults(defaults, given) {
  return { ...defaults, ...(given && typeof given === "object" ? given : {}) };
}
