/**
 * Prints the corpus table (per rule: cases, true / false positives, misses, precision,
 * recall), with typed linting and without, and lists every false positive and miss.
 *
 *   node eslint-plugin-race/tools/corpus-report.js
 */
import { formatTable, lintCorpus, scoreCorpus } from "./corpus.js";

for (const typed of [true, false]) {
  const scores = scoreCorpus(await lintCorpus({ typed }));
  console.log(`\nCorpus, ${typed ? "typed linting (parserServices.program)" : "without type information (names)"}:\n`);
  console.log(formatTable(scores));
  for (const s of scores) {
    for (const fp of s.falsePositives) console.log(`  false positive ${s.rule}: ${fp}`);
    for (const miss of s.misses) console.log(`  miss ${s.rule}: ${miss}`);
  }
}
