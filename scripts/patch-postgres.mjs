/**
 * postinstall: patches postgres.js 3.4.x so a write on a connection the server already
 * closed rejects that query with CONNECTION_CLOSED instead of throwing from a
 * setImmediate callback, which is an uncaught exception that kills the Node process.
 * Upstream: porsager/postgres issues #1154 and #1208, pull request #1209 (not released
 * as of 3.4.9). Our fault test (tests/integration/faults.test.ts) terminates a backend
 * mid-transaction and fails without this patch. Idempotent; exits non-zero if the
 * code it patches has changed, so an upgrade cannot silently drop the fix.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const MARKER = "race-safe patch: closed socket";
const BEFORE = "  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)";
const AFTER = `  function nextWrite(fn) {
    if (socket === null) { // ${MARKER} (porsager/postgres#1208)
      nextWriteTimer !== null && clearImmediate(nextWriteTimer)
      chunk = nextWriteTimer = null
      error(Errors.connection('CONNECTION_CLOSED', options))
      return false
    }
    const x = socket.write(chunk, fn)`;

const require = createRequire(import.meta.url);
let root;
try {
  // The package exports no package.json; its CommonJS entry is cjs/src/index.js.
  root = path.resolve(path.dirname(require.resolve("postgres")), "..", "..");
} catch {
  process.exit(0); // postgres is not installed: nothing to patch
}

let failed = false;
for (const variant of ["src", "cjs/src", "cf/src"]) {
  const file = path.join(root, variant, "connection.js");
  if (!existsSync(file)) continue;
  const source = readFileSync(file, "utf8");
  if (source.includes(MARKER)) continue;
  if (!source.includes(BEFORE)) {
    console.error(`[patch-postgres] ${file}: the code to patch has changed; review the upstream fix and this script.`);
    failed = true;
    continue;
  }
  writeFileSync(file, source.replace(BEFORE, AFTER));
  console.log(`[patch-postgres] patched ${path.relative(process.cwd(), file)}`);
}
process.exit(failed ? 1 : 0);
