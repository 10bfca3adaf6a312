/**
 * eslint-plugin-race: lint rules for the race conditions of a Next.js + tRPC + Drizzle
 * app (check-then-act, check-then-insert, lost updates, writes that never run, the
 * transaction handle misused, server state copied into client state). Plain ESM
 * JavaScript, no build step, no dependencies beyond ESLint 9; typed linting
 * (typescript-eslint's `projectService`) makes the database rules recognise handles by
 * type. See README.md and docs/rules/.
 *
 *   import race from "eslint-plugin-race";
 *   export default [race.configs.recommended];
 */
import noCheckThenInsert from "./rules/no-check-then-insert.js";
import noMergedOptimisticList from "./rules/no-merged-optimistic-list.js";
import noMirroredServerState from "./rules/no-mirrored-server-state.js";
import noOuterDbInTransaction from "./rules/no-outer-db-in-transaction.js";
import noParallelTxQueries from "./rules/no-parallel-tx-queries.js";
import noReadModifyWrite from "./rules/no-read-modify-write.js";
import noRegisterInConstructor from "./rules/no-register-in-constructor.js";
import noSplitDbWrites from "./rules/no-split-db-writes.js";
import noUnawaitedWrite from "./rules/no-unawaited-write.js";
import noUnlockedReadBeforeWrite from "./rules/no-unlocked-read-before-write.js";
import noVersionCheckInJs from "./rules/no-version-check-in-js.js";

export const rules = {
  "no-split-db-writes": noSplitDbWrites,
  "no-unlocked-read-before-write": noUnlockedReadBeforeWrite,
  "no-check-then-insert": noCheckThenInsert,
  "no-read-modify-write": noReadModifyWrite,
  "no-version-check-in-js": noVersionCheckInJs,
  "no-unawaited-write": noUnawaitedWrite,
  "no-outer-db-in-transaction": noOuterDbInTransaction,
  "no-parallel-tx-queries": noParallelTxQueries,
  "no-register-in-constructor": noRegisterInConstructor,
  "no-merged-optimistic-list": noMergedOptimisticList,
  "no-mirrored-server-state": noMirroredServerState,
};

/** The files the recommended config checks: application code. */
export const RECOMMENDED_FILES = ["**/*.{js,mjs,cjs,jsx,ts,mts,cts,tsx}"];

/**
 * What it leaves out: tests, scripts, fixtures, seeds and migrations, where one-off
 * sequential writes, fire-and-forget set-up and merged fixtures are the point, and
 * this package's own corpus of broken examples.
 */
export const RECOMMENDED_IGNORES = [
  "**/*.{test,spec}.*",
  "**/__tests__/**",
  "**/{test,tests,e2e,__mocks__}/**",
  "**/{fixtures,__fixtures__,corpus}/**",
  "**/{scripts,seed,seeds,migrations,drizzle}/**",
  "**/seed.*",
  "**/*.config.*",
];

/** @type {import('eslint').ESLint.Plugin & { configs: { recommended: import('eslint').Linter.Config } }} */
const plugin = {
  meta: { name: "eslint-plugin-race", version: "2.0.0" },
  rules,
  configs: {
    recommended: {
      name: "race/recommended",
      files: RECOMMENDED_FILES,
      ignores: RECOMMENDED_IGNORES,
      plugins: {},
      rules: Object.fromEntries(Object.keys(rules).map((name) => [`race/${name}`, "error"])),
    },
  },
};

// The recommended config registers the plugin under the `race` prefix its rule ids use.
plugin.configs.recommended.plugins = { race: plugin };

export default plugin;
