/**
 * The bench's SVG charts (scripts/bench/charts.ts), drawn from fixed results: each is
 * well-formed XML with one <svg> root, accessible (role="img", a <title> and a <desc> it is
 * labelled by), and has a bar or strip per row with its label. And docs/benchmarks.md shows
 * every chart file that is in docs/images.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { CHART_FILES, interleavingsChart, latencyDistributionChart, lockScopeChart } from "../../scripts/bench/charts";

const root = path.resolve(import.meta.dirname, "../..");

/** Problems that keep `xml` from being well-formed (tags balanced and nested, attributes quoted, text escaped). */
function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  const tag = /<(\/)?([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/)?>/g;
  const stack: string[] = [];
  let roots = 0;
  let last = 0;
  const checkText = (text: string) => {
    if (/[<>]/.test(text)) problems.push(`unescaped markup in text: ${JSON.stringify(text.slice(0, 60))}`);
    for (const match of text.matchAll(/&([^;\s]*);?/g)) {
      if (!/^&(amp|lt|gt|quot|apos|#\d+|#x[\da-f]+);$/i.test(match[0])) problems.push(`bad entity ${match[0]}`);
    }
  };
  for (const match of xml.matchAll(tag)) {
    checkText(xml.slice(last, match.index));
    last = match.index + match[0].length;
    const [, closing, name = "", attributes = "", selfClosing] = match;
    for (const value of attributes.matchAll(/="([^"]*)"/g)) checkText(value[1] ?? "");
    if (closing) {
      if (stack.pop() !== name) problems.push(`</${name}> closes nothing open`);
    } else if (!selfClosing) {
      if (stack.length === 0) roots++;
      stack.push(name);
    } else if (stack.length === 0) roots++;
  }
  checkText(xml.slice(last));
  if (stack.length) problems.push(`unclosed: ${stack.join(", ")}`);
  if (roots !== 1) problems.push(`${roots} root elements`);
  return problems;
}

const occurrences = (svg: string, fragment: string) => svg.split(fragment).length - 1;

function expectAccessibleSvg(svg: string, title: string) {
  expect(xmlProblems(svg)).toEqual([]);
  expect(svg.startsWith("<svg ")).toBe(true);
  expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  expect(svg).toMatch(/^<svg [^>]*role="img"/);
  const labelledBy = /aria-labelledby="([^"]+)"/.exec(svg)?.[1]?.split(" ") ?? [];
  expect(labelledBy).toHaveLength(2);
  for (const id of labelledBy) expect(svg).toContain(`id="${id}"`);
  expect(svg).toMatch(new RegExp(`<title id="[^"]+">${title.replaceAll("&", "&amp;").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}</title>`));
  expect(svg).toMatch(/<desc id="[^"]+">[^<]+<\/desc>/);
}

describe("bench charts", () => {
  it("the latency distribution: one strip per variant, with its label and p50", () => {
    const distribution = (base: number) => ({ 5: base, 25: base + 10, 50: base + 20, 75: base + 30, 95: base + 45, 99: base + 60 });
    const svg = latencyDistributionChart(
      [
        { label: "lab naive (no transaction)", distribution: distribution(60) },
        { label: "lab locked <the fix> & more", distribution: distribution(70) },
        { label: "generation.generateScene", distribution: distribution(80) },
      ],
      { title: "Scenario 1: latency per call" },
    );
    expectAccessibleSvg(svg, "Scenario 1: latency per call");
    expect(occurrences(svg, 'class="box"')).toBe(3);
    expect(occurrences(svg, 'class="median"')).toBe(3);
    expect(svg).toContain(">lab naive (no transaction)</text>");
    expect(svg).toContain(">lab locked &lt;the fix&gt; &amp; more</text>");
    expect(svg).toContain(">p50 100 ms</text>");
    expect(svg).toContain("latency per call (ms)");
  });

  it("the lock scope: wall time, p50 and p95 bars per variant", () => {
    const svg = lockScopeChart(
      [
        { label: "fixed flow (server B)", wallMs: 904, p50: 700, p95: 880 },
        { label: "lab locked", wallMs: 846, p50: 650, p95: 820 },
        { label: "lock across model call", wallMs: 3716, p50: 2000, p95: 3600 },
      ],
      { title: "Scenario 2: lock scope" },
    );
    expectAccessibleSvg(svg, "Scenario 2: lock scope");
    expect(occurrences(svg, 'class="bar"')).toBe(9);
    for (const label of ["fixed flow (server B)", "lab locked", "lock across model call", "3,716 ms", "wall time of the burst", "p95 of a call", "milliseconds"]) {
      expect(svg).toContain(`>${label}</text>`);
    }
  });

  it("the interleavings: a stacked bar per strategy, broken in its own colour", () => {
    const svg = interleavingsChart(
      [
        { label: "naive", broken: 76, blocked: 0, ok: 104, other: 0 },
        { label: "locked", broken: 0, blocked: 50, ok: 16, other: 0 },
      ],
      { title: "Every interleaving" },
    );
    expectAccessibleSvg(svg, "Every interleaving");
    expect(occurrences(svg, 'class="segment broken"')).toBe(1);
    expect(occurrences(svg, 'class="segment blocked"')).toBe(1);
    expect(occurrences(svg, 'class="segment ok"')).toBe(2);
    expect(svg).not.toContain("deadlock or stuck"); // no such verdict in these results: no legend entry
    for (const label of ["naive", "locked", "76 of 180 broken", "0 of 66 broken", "interleavings of two requests"]) expect(svg).toContain(`>${label}</text>`);
  });

  it("docs/benchmarks.md shows every chart that is in docs/images", () => {
    const doc = readFileSync(path.join(root, "docs", "benchmarks.md"), "utf8");
    const charts = readdirSync(path.join(root, "docs", "images")).filter((file) => file.endsWith(".svg"));
    for (const file of charts) expect(doc).toMatch(new RegExp(`!\\[[^\\]]+\\]\\(images/${file.replace(/[.]/g, "\\.")}\\)`));
    for (const file of Object.values(CHART_FILES)) expect(file).toMatch(/^bench-[\w-]+\.svg$/);
  });
});
