/**
 * eslint-plugin-race: lint rules for the race conditions in
 * docs/race-conditions-explained.md. Plain ESM JavaScript, no build step, no
 * dependencies beyond ESLint 9 itself. See docs/patterns/lint-rules.md.
 *
 *   import race from "./eslint-plugin-race/index.js";
 *   export default [{ files: ["src/**\/*.{ts,tsx}"], ...race.configs.recommended }];
 */
import noMergedOptimisticList from "./rules/no-merged-optimistic-list.js";
import noRegisterInConstructor from "./rules/no-register-in-constructor.js";
import noSplitDbWrites from "./rules/no-split-db-writes.js";
import noUnlockedReadBeforeWrite from "./rules/no-unlocked-read-before-write.js";

export const rules = {
  "no-split-db-writes": noSplitDbWrites,
  "no-unlocked-read-before-write": noUnlockedReadBeforeWrite,
  "no-register-in-constructor": noRegisterInConstructor,
  "no-merged-optimistic-list": noMergedOptimisticList,
};

/** @type {import('eslint').ESLint.Plugin & { configs: { recommended: import('eslint').Linter.Config } }} */
const plugin = {
  meta: { name: "eslint-plugin-race", version: "1.0.0" },
  rules,
  configs: {
    recommended: {
      name: "race/recommended",
      plugins: {},
      rules: {
        "race/no-split-db-writes": "error",
        "race/no-unlocked-read-before-write": "error",
        "race/no-register-in-constructor": "error",
        "race/no-merged-optimistic-list": "error",
      },
    },
  },
};

// The recommended config registers the plugin under the `race` prefix its rule ids use.
plugin.configs.recommended.plugins = { race: plugin };

export default plugin;
