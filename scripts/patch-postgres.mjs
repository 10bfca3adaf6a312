/**
 * postinstall: patches five bugs of postgres.js 3.4.9, none fixed in a release yet, in
 * each build it ships (src, cjs/src, cf/src), and one of drizzle-orm 0.45's node-postgres
 * session (both of its builds). Each test named below fails without its fix
 * (tests/integration/postgres-driver-patch.test.ts, test names start with the upstream bug).
 *
 * 1. Closed socket (connection.js, nextWrite): a statement written to a connection whose
 *    socket has closed throws from a setImmediate callback, an uncaught exception that
 *    kills the Node process; patched, the statement rejects with CONNECTION_CLOSED.
 *    Upstream: porsager/postgres issues #1154 and #1208, pull request #1209.
 *    Fails without it: the "porsager/postgres#1208" test (uncaught TypeError, the statement
 *    never settles). tests/integration/faults.test.ts fails too, but only if fix 5 is
 *    also missing: fix 5 refuses that transaction's ROLLBACK before it is written.
 * 2. Stale write buffer (connection.js, closed and terminate): teardown cancels the pending
 *    flush but keeps `nextWriteTimer` and `chunk`, so after a socket died with a small
 *    write buffered, the reconnect's StartupMessage is appended to the dead query's bytes
 *    and never flushed: every later connect of that pooled connection ends in
 *    CONNECT_TIMEOUT. Patched, teardown drops both. Upstream: LanternOps/breeze issue
 *    #3225, pull request #4279 (the bug is in postgres.js, the report is theirs).
 *    Fails without it: the "LanternOps/breeze#3225" test (CONNECT_TIMEOUT).
 * 3. Stale query (connection.js, closed): teardown leaves two things behind. (a) A backend
 *    terminated mid-query sends its FATAL error, which the connection keeps for the query's
 *    end; the socket closes first and the query is rejected, but the connection keeps both,
 *    and at the next session's first ReadyForQuery the old error rejects the next query: a
 *    healthy request fails with a dead backend's 57P01. (b) After a socket error (a reset)
 *    the close handler rejects nothing, so a query written between the error and the close
 *    (the app retrying at once) is never settled. Patched, teardown rejects whatever is
 *    still sent and drops the query and its error.
 *    Upstream: (a) reported in the discussion of porsager/postgres pull request #1215.
 *    Fails without it: the "stale query" tests (the next query rejects with 57P01; the query
 *    sent after the reset never settles).
 * 4. Unbounded startup reconnect (connection.js, connect, closed and ReadyForQuery): a
 *    connection that the server (or a proxy or load balancer in front of it) closes during
 *    startup without an error message is reconnected at once, again and again, and its
 *    query waits forever: connect_timeout restarts with every attempt and the backoff never
 *    grows. And a connection lost while it fetches array types (the first statement of every
 *    new connection) rejects that internal query, which nobody awaits: an unhandled
 *    rejection, which ends a Node process; or leaves it behind to reject a later attempt.
 *    Patched, startup attempts back off like any failed connection, the query fails with
 *    CONNECT_TIMEOUT once connect_timeout has passed since its first attempt, and the type
 *    query's failure is left to the query it was for.
 *    Upstream: porsager/postgres issue #1193, pull request #1214 (the reconnect).
 *    Fails without it: the "porsager/postgres#1193" test (the query never settles), and an
 *    unhandled ECONNREFUSED rejection in tests/integration/connection-loss.test.ts.
 * 5. Closed transaction (index.js, begin): when a transaction's connection closes, begin()
 *    rejects but the callback keeps running, and its later statements and its COMMIT go to
 *    the same connection object, which the pool may have reconnected meanwhile: they run
 *    autocommitted on a new session, outside any transaction. Patched, the transaction
 *    refuses every statement after its connection closed (CONNECTION_CLOSED).
 *    Upstream: porsager/postgres issue #1216, pull requests #1215 and #1155.
 *    Fails without it: the "porsager/postgres#1216" test (the late INSERT is committed).
 *
 * 6. Unreleased client (drizzle-orm, node-postgres/session.{js,cjs}, transaction): BEGIN is
 *    sent before the try/finally that releases the pool client, so a transaction whose
 *    connection died at BEGIN leaks its client: the pool shrinks by one for good and
 *    `pool.end()` never returns. Patched, BEGIN is inside the try. Found here.
 *    Fails without it: tests/integration/connection-loss.test.ts with
 *    DATABASE_DRIVER=node-postgres (the pool never closes: the hook times out).
 *
 * Idempotent: each fix has its own marker and is applied whole or not at all. Exits
 * non-zero if a file or any code it patches has changed, so an upgrade cannot silently
 * drop a fix.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const BUILDS = ["src", "cjs/src", "cf/src"];

const closedSocket = "race-safe patch: closed socket";
const staleBuffer = "race-safe patch: stale write buffer";
const closedTransaction = "race-safe patch: closed transaction";
const staleQuery = "race-safe patch: stale query";
const boundedStartup = "race-safe patch: bounded startup reconnect";
const unreleasedClient = "race-safe patch: unreleased client";

const FIXES = [
  {
    marker: closedSocket,
    file: "connection.js",
    edits: [
      {
        before: "  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)",
        after: `  function nextWrite(fn) {
    if (socket === null) { // ${closedSocket} (porsager/postgres#1208)
      nextWriteTimer !== null && clearImmediate(nextWriteTimer)
      chunk = nextWriteTimer = null
      error(Errors.connection('CONNECTION_CLOSED', options))
      return false
    }
    const x = socket.write(chunk, fn)`,
      },
    ],
  },
  {
    marker: staleBuffer,
    file: "connection.js",
    edits: [
      {
        before: "    clearImmediate(nextWriteTimer)\n    if (socket) {",
        after: `    clearImmediate(nextWriteTimer)
    chunk = nextWriteTimer = null // ${staleBuffer} (LanternOps/breeze#3225)
    if (socket) {`,
      },
      {
        before: "    incomings = null\n    clearImmediate(nextWriteTimer)\n",
        after: `    incomings = null
    clearImmediate(nextWriteTimer)
    chunk = nextWriteTimer = null // ${staleBuffer} (LanternOps/breeze#3225)
`,
      },
    ],
  },
  {
    marker: staleQuery,
    file: "connection.js",
    edits: [
      {
        before: "    !hadError && (query || sent.length) && error(Errors.connection('CONNECTION_CLOSED', options, socket))\n",
        after: `    ;(query || sent.length) && error(Errors.connection('CONNECTION_CLOSED', options, socket)) // ${staleQuery}
    query = results = errorResponse = null // ${staleQuery} (porsager/postgres#1215, discussion)
`,
      },
    ],
  },
  {
    marker: boundedStartup,
    file: "connection.js",
    edits: [
      {
        before: "  const connection = {\n",
        after: `  let connectingSince = 0 // ${boundedStartup} (porsager/postgres#1193, pull request #1214)
  const connection = {
`,
      },
      {
        before: "    connect(query) {\n      initial = query\n      reconnect()\n",
        after: `    connect(query) {
      initial = query
      connectingSince = performance.now() // ${boundedStartup}
      reconnect()
`,
      },
      {
        before: "        return fetchArrayTypes()\n",
        after: `        return fetchArrayTypes().catch(() => undefined) // ${boundedStartup}: its error is the first query's
`,
      },
      {
        before: "    if (initial)\n      return reconnect()\n",
        after: `    if (initial) { // ${boundedStartup}: back off, and give up after connect_timeout
      query = results = errorResponse = null // the startup's own type query, re-run after the next startup
      closedTime = performance.now()
      delay = (typeof backoff === 'function' ? backoff(++options.shared.retries) : backoff) * 1000
      if (closedTime - connectingSince < (options.connect_timeout || 30) * 1000)
        return reconnect()
      queryError(initial, Errors.connection('CONNECT_TIMEOUT', options, socket))
      initial = null
    }
`,
      },
    ],
  },
  {
    marker: closedTransaction,
    file: "index.js",
    edits: [
      {
        before: "      , connection\n      , prepare = null\n",
        after: `      , connection
      , prepare = null
      , closedError = null // ${closedTransaction} (porsager/postgres#1216)
`,
      },
      {
        before: "        new Promise((_, reject) => connection.onclose = reject)\n",
        after: `        new Promise((_, reject) => connection.onclose = e => reject(closedError = e)) // ${closedTransaction}
`,
      },
      {
        before: "        q.catch(e => uncaughtError || (uncaughtError = e))\n        c.queue === full\n",
        after: `        q.catch(e => uncaughtError || (uncaughtError = e))
        if (closedError) // ${closedTransaction}
          return q.reject(closedError)
        c.queue === full
`,
      },
    ],
  },
];

const require = createRequire(import.meta.url);

/** The folder of an installed package, or undefined (nothing to patch). */
function packageRoot(name, entryDepth) {
  try {
    // Neither package exports its package.json; walk up from its resolved entry.
    return path.resolve(path.dirname(require.resolve(name)), ...Array(entryDepth).fill(".."));
  } catch {
    return undefined;
  }
}

const problems = [];
const postgresRoot = packageRoot("postgres", 2); // cjs/src/index.js
if (postgresRoot) {
  for (const build of BUILDS) {
    for (const name of new Set(FIXES.map((fix) => fix.file))) {
      patchFile(path.join(postgresRoot, build, name), FIXES.filter((candidate) => candidate.file === name));
    }
  }
}
const drizzleRoot = packageRoot("drizzle-orm", 0); // index.cjs
if (drizzleRoot) {
  for (const [name, sqlTag] of [["node-postgres/session.js", "sql"], ["node-postgres/session.cjs", "import_sql.sql"]]) {
    patchFile(path.join(drizzleRoot, name), [drizzleBeginFix(sqlTag)]);
  }
}

for (const problem of problems) console.error(`[patch-postgres] ${problem}`);
if (problems.length > 0) {
  console.error("[patch-postgres] the code to patch has changed; review the upstream fixes and this script.");
  process.exit(1);
}

function patchFile(file, fixes) {
  const shown = path.relative(process.cwd(), file);
  if (!existsSync(file)) {
    problems.push(`${shown}: missing`);
    return;
  }
  let source = readFileSync(file, "utf8");
  const applied = [];
  for (const fix of fixes) {
    const result = applyFix(source, fix);
    if (result.problem) problems.push(`${shown}: "${fix.marker}": ${result.problem}`);
    else if (result.source !== source) applied.push(fix.marker);
    source = result.source;
  }
  if (applied.length === 0) return;
  writeFileSync(file, source);
  console.log(`[patch-postgres] patched ${shown} (${applied.join("; ")})`);
}

/**
 * drizzle-orm 0.45's node-postgres `transaction()` takes a client from the pool and sends
 * BEGIN before its try/finally: when BEGIN fails (the connection died), the client is never
 * released, and the pool has one connection fewer for good (and `pool.end()` waits forever).
 * Patched, BEGIN is inside the try, so the finally releases it (pg-pool drops a broken client).
 */
function drizzleBeginFix(sqlTag) {
  const begin = `await tx.execute(${sqlTag}\`begin\${config ? ${sqlTag}\` \${tx.getTransactionConfigSQL(config)}\` : void 0}\`);`;
  return {
    marker: unreleasedClient,
    edits: [
      {
        before: `    const tx = new NodePgTransaction(this.dialect, session, this.schema);\n    ${begin}\n    try {\n`,
        after: `    const tx = new NodePgTransaction(this.dialect, session, this.schema);\n    try { // ${unreleasedClient}\n      ${begin}\n`,
      },
    ],
  };
}

/** The source with every edit of `fix` made, unchanged if already patched, or the reason it cannot be. */
function applyFix(source, fix) {
  if (source.includes(fix.marker)) {
    const missing = fix.edits.filter((edit) => !source.includes(edit.after)).length;
    return missing === 0 ? { source } : { source, problem: `marker found but ${missing} edit(s) not in place` };
  }
  let patched = source;
  for (const edit of fix.edits) {
    const count = patched.split(edit.before).length - 1;
    if (count !== 1) {
      const code = edit.before.trim().split("\n")[0];
      return { source, problem: `expected \`${code}\`… once, found it ${count} time(s)` };
    }
    patched = patched.replace(edit.before, () => edit.after);
  }
  return { source: patched };
}
