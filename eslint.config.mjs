import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import drizzle from "eslint-plugin-drizzle";
import tseslint from "typescript-eslint";

import { boundaries } from "./eslint.boundaries.mjs";
import race from "./eslint-plugin-race/index.js";

/**
 * Next's recommended rules, typed promise rules (a floating promise is how a race
 * hides), Drizzle's guards against an UPDATE or DELETE without WHERE, and this repo's
 * race rules (eslint-plugin-race/, docs/patterns/lint-rules.md), all of them from its
 * recommended config; with typed linting on they recognise database handles by type.
 */
export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores([".next/**", ".data/**", "node_modules/**", "test-results/**", "playwright-report/**", "next-env.d.ts"]),
  {
    files: ["**/*.ts", "**/*.tsx"],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { "@typescript-eslint": tseslint.plugin, drizzle },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
      "@typescript-eslint/consistent-type-imports": ["warn", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      ...drizzle.configs.recommended.rules,
      "drizzle/enforce-delete-with-where": ["error", { drizzleObjectName: ["db", "tx"] }],
      "drizzle/enforce-update-with-where": ["error", { drizzleObjectName: ["db", "tx"] }],
    },
  },
  // The plugin's corpus is broken on purpose, case by case; tests/unit/lint/corpus.test.ts
  // lints it with the race rules and compares every report with the case's expectations.
  globalIgnores(["eslint-plugin-race/corpus/**"], "race/corpus"),
  {
    ...race.configs.recommended,
    name: "race/app",
    files: ["src/**/*.ts", "src/**/*.tsx"],
    // The Race Lab's variants are broken on purpose and would fail these rules. They are
    // not exempt from checking: tests/unit/lint/lab-lint.test.ts lints them with these
    // rules and expects exactly their reports (no more, no fewer).
    ignores: ["src/server/lab/**", "src/app/lab/_components/workspace/NaiveChatPanel.tsx"],
  },
  ...boundaries.map((block) => ({ ...block, plugins: { "@typescript-eslint": tseslint.plugin } })),
]);
