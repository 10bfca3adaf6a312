/**
 * Lint time of the whole repository (what `npm run lint` checks, with typed linting),
 * with the race rules and without them, each in a fresh process so neither run profits
 * from the other's TypeScript program; and the race rules' own time per rule, from
 * ESLint's `stats`. Prints a Markdown table (docs/patterns/lint-rules.md shows one).
 *
 *   node scripts/lint-speed.mjs            # one run each
 *   node scripts/lint-speed.mjs --runs 3   # the fastest of three each
 */
import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

if (process.argv[2] === "--child") {
  const withRace = process.argv[3] === "with";
  const { ESLint } = await import("eslint");
  const { rules } = await import("../eslint-plugin-race/index.js");
  const raceIds = Object.keys(rules).map((name) => `race/${name}`);
  const started = performance.now();
  const eslint = new ESLint({
    cwd: root,
    stats: withRace,
    overrideConfig: withRace ? [] : [{ rules: Object.fromEntries(raceIds.map((id) => [id, "off"])) }],
  });
  const results = await eslint.lintFiles(["."]);
  const wallMs = performance.now() - started;
  /** @type {Record<string, number>} */
  const perRule = {};
  for (const result of results) {
    for (const pass of result.stats?.times.passes ?? []) {
      for (const [id, time] of Object.entries(pass.rules ?? {})) {
        if (id.startsWith("race/")) perRule[id] = (perRule[id] ?? 0) + time.total;
      }
    }
  }
  const problems = results.reduce((sum, result) => sum + result.errorCount + result.warningCount, 0);
  process.stdout.write(JSON.stringify({ wallMs, files: results.length, problems, perRule }));
  process.exit(0);
}

const runsIndex = process.argv.indexOf("--runs");
const runs = runsIndex > 0 ? Math.max(1, Number(process.argv[runsIndex + 1]) || 1) : 1;

/** @param {"with" | "without"} mode */
function measure(mode) {
  const output = execFileSync(process.execPath, [fileURLToPath(import.meta.url), "--child", mode], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(output);
}

/** @type {{ with: any[], without: any[] }} */
const samples = { with: [], without: [] };
for (let i = 0; i < runs; i++) {
  samples.without.push(measure("without"));
  samples.with.push(measure("with"));
}
/** @param {any[]} list */
const fastest = (list) => list.reduce((best, sample) => (sample.wallMs < best.wallMs ? sample : best));
const withRace = fastest(samples.with);
const withoutRace = fastest(samples.without);
const seconds = (/** @type {number} */ ms) => `${(ms / 1000).toFixed(1)} s`;
const raceTotal = Object.values(withRace.perRule).reduce((/** @type {number} */ sum, /** @type {number} */ ms) => sum + ms, 0);

console.log(`Lint of the whole repository (${withRace.files} files, typed linting), fastest of ${runs} run(s) each:\n`);
console.log("| Run | Wall time | Problems |");
console.log("| --- | --- | --- |");
console.log(`| without the race rules | ${seconds(withoutRace.wallMs)} | ${withoutRace.problems} |`);
console.log(`| with the race rules | ${seconds(withRace.wallMs)} | ${withRace.problems} |`);
console.log(`\nThe race rules' own time (ESLint stats, all files): ${raceTotal.toFixed(0)} ms in all.\n`);
console.log("| Rule | Time |");
console.log("| --- | --- |");
for (const [id, ms] of Object.entries(withRace.perRule).sort((a, b) => b[1] - a[1])) {
  console.log(`| \`${id}\` | ${ms.toFixed(0)} ms |`);
}
