/**
 * The bench's charts, as SVG files under docs/images that docs/benchmarks.md shows: the
 * latency distribution of scenario 1's variants, scenario 2's lock scope, and the
 * interleaving explorer's verdicts per welcome-reset strategy. Each chart is a function of
 * plain numbers, so a unit test can draw it from fixed results (tests/unit/bench-charts.test.ts).
 */
import { ms } from "../lib/stats";
import type { Results } from "./results";
import { legend, line, MUTED, rect, svgDocument, text, valueAxis } from "./svg";

const LABELS = 250;
const LEFT = LABELS + 12;
const RIGHT = 700;
const WIDTH = 760;

const msTick = (value: number) => `${Math.round(value).toLocaleString("en-US")} ms`;

export interface DistributionRow {
  label: string;
  /** Latency percentiles in ms. */
  distribution: Record<5 | 25 | 50 | 75 | 95 | 99, number>;
}

/** (a) One strip per variant: whiskers p5–p99, a box p25–p75, a bar at p50, a dot at p95. */
export function latencyDistributionChart(rows: readonly DistributionRow[], { title }: { title: string }) {
  const top = 64;
  const rowHeight = 46;
  const bottom = top + rows.length * rowHeight;
  const max = Math.max(...rows.map((row) => row.distribution[99]), 1);
  const axis = valueAxis({ left: LEFT, right: RIGHT, top: top - 8, bottom, max, label: "latency per call (ms)", format: msTick });
  const body = [...axis.svg, ...legend(LEFT, 48, [{ label: "p25–p75", color: "#93c5fd" }, { label: "p50", color: "#1e3a8a" }, { label: "p95 (dot), p5–p99 (whiskers)", color: MUTED }])];
  rows.forEach((row, index) => {
    const d = row.distribution;
    const middle = top + index * rowHeight + rowHeight / 2;
    body.push(
      text(LABELS, middle + 4, row.label, { "text-anchor": "end" }),
      line(axis.x(d[5]), middle, axis.x(d[99]), middle, MUTED, { "stroke-width": 1.5 }),
      line(axis.x(d[5]), middle - 6, axis.x(d[5]), middle + 6, MUTED, { "stroke-width": 1.5 }),
      line(axis.x(d[99]), middle - 6, axis.x(d[99]), middle + 6, MUTED, { "stroke-width": 1.5 }),
      rect(axis.x(d[25]), middle - 11, axis.x(d[75]) - axis.x(d[25]), 22, "#93c5fd", { class: "box" }),
      rect(axis.x(d[50]) - 1.5, middle - 13, 3, 26, "#1e3a8a", { class: "median" }),
      `<circle cx="${Math.round(axis.x(d[95]) * 10) / 10}" cy="${middle}" r="3.5" fill="${MUTED}"/>`,
      text(axis.x(d[99]) + 8, middle + 4, `p50 ${ms(d[50])}`, { "font-size": 12, fill: MUTED }),
    );
  });
  const description = rows
    .map((row) => `${row.label}: p5 ${ms(row.distribution[5])}, p25 ${ms(row.distribution[25])}, p50 ${ms(row.distribution[50])}, p75 ${ms(row.distribution[75])}, p95 ${ms(row.distribution[95])}, p99 ${ms(row.distribution[99])}`)
    .join("; ");
  return svgDocument({ id: "latency-distribution", width: WIDTH, height: bottom + 48, title, description: `Latency per call. ${description}.`, body });
}

export interface LockScopeRow {
  label: string;
  wallMs: number;
  p50: number;
  p95: number;
}

const LOCK_SERIES = [
  { key: "wallMs", label: "wall time of the burst", color: "#1e3a8a" },
  { key: "p50", label: "p50 of a call", color: "#60a5fa" },
  { key: "p95", label: "p95 of a call", color: "#f59e0b" },
] as const;

/** (b) A group of three bars per variant: the burst's wall time, and a call's p50 and p95. */
export function lockScopeChart(rows: readonly LockScopeRow[], { title }: { title: string }) {
  const top = 64;
  const bar = 15;
  const groupHeight = LOCK_SERIES.length * (bar + 4) + 18;
  const bottom = top + rows.length * groupHeight;
  const max = Math.max(...rows.flatMap((row) => LOCK_SERIES.map((series) => row[series.key])), 1);
  const axis = valueAxis({ left: LEFT, right: RIGHT - 50, top: top - 8, bottom, max, label: "milliseconds", format: msTick });
  const body = [...axis.svg, ...legend(LEFT, 48, LOCK_SERIES)];
  rows.forEach((row, index) => {
    const groupTop = top + index * groupHeight + 9;
    body.push(text(LABELS, groupTop + (LOCK_SERIES.length * (bar + 4)) / 2 + 4, row.label, { "text-anchor": "end" }));
    LOCK_SERIES.forEach((series, position) => {
      const y = groupTop + position * (bar + 4);
      const value = row[series.key];
      body.push(
        rect(LEFT, y, axis.x(value) - LEFT, bar, series.color, { class: "bar" }),
        text(axis.x(value) + 6, y + bar - 3, ms(value), { "font-size": 12, fill: MUTED }),
      );
    });
  });
  const description = rows.map((row) => `${row.label}: wall time ${ms(row.wallMs)}, p50 ${ms(row.p50)}, p95 ${ms(row.p95)}`).join("; ");
  return svgDocument({ id: "lock-scope", width: WIDTH, height: bottom + 48, title, description: `${description}.`, body });
}

export interface InterleavingRow {
  label: string;
  broken: number;
  /** Fine, after a statement waited for a lock. */
  blocked: number;
  /** Fine, with no wait. */
  ok: number;
  /** Deadlocks and runs that did not finish. */
  other: number;
}

const VERDICTS = [
  { key: "broken", label: "broken (lost data)", color: "#b91c1c" },
  { key: "blocked", label: "ok, after a lock wait", color: "#65a30d" },
  { key: "ok", label: "ok", color: "#15803d" },
  { key: "other", label: "deadlock or stuck", color: "#6b7280" },
] as const;

/** (c) One stacked bar per strategy: its interleavings by verdict. */
export function interleavingsChart(rows: readonly InterleavingRow[], { title }: { title: string }) {
  const top = 64;
  const rowHeight = 34;
  const bottom = top + rows.length * rowHeight;
  const total = (row: InterleavingRow) => row.broken + row.blocked + row.ok + row.other;
  const max = Math.max(...rows.map(total), 1);
  const axis = valueAxis({ left: LEFT, right: RIGHT - 70, top: top - 8, bottom, max, label: "interleavings of two requests", format: (value) => value.toLocaleString("en-US") });
  const shown = VERDICTS.filter((verdict) => verdict.key !== "other" || rows.some((row) => row.other > 0));
  const body = [...axis.svg, ...legend(LEFT, 48, shown)];
  rows.forEach((row, index) => {
    const y = top + index * rowHeight + 7;
    body.push(text(LABELS, y + 15, row.label, { "text-anchor": "end" }));
    let at = 0;
    for (const verdict of shown) {
      const value = row[verdict.key];
      if (value <= 0) continue;
      const [x0, x1] = [axis.x(at), axis.x(at + value)];
      body.push(rect(x0, y, x1 - x0, 20, verdict.color, { class: `segment ${verdict.key}` }));
      if (x1 - x0 > 28) body.push(text((x0 + x1) / 2, y + 15, String(value), { "text-anchor": "middle", fill: "#ffffff", "font-size": 12 }));
      at += value;
    }
    body.push(text(axis.x(at) + 6, y + 15, `${row.broken} of ${total(row)} broken`, { "font-size": 12, fill: MUTED }));
  });
  const description = rows
    .map((row) => `${row.label}: ${row.broken} broken, ${row.blocked} ok after a lock wait, ${row.ok} ok${row.other ? `, ${row.other} deadlock or stuck` : ""}`)
    .join("; ");
  return svgDocument({ id: "interleavings", width: WIDTH, height: bottom + 48, title, description: `${description}.`, body });
}

/** The chart files under docs/images, by what they show. */
export const CHART_FILES = {
  distribution: "bench-latency-distribution.svg",
  lockScope: "bench-lock-scope.svg",
  interleavings: "bench-interleavings.svg",
} as const;

export interface ChartFile {
  file: string;
  /** The image's alt text in the doc. */
  alt: string;
  svg: string;
}

/** A full run's three charts. */
export function benchCharts(r: Results): ChartFile[] {
  const distributionTitle = "Scenario 1: latency per call, 10 clients on their own projects, latency 0";
  const lockTitle = "Scenario 2: 20 generations at once on one project, 500 ms model latency";
  const exploreTitle = "Every interleaving of two requests, per welcome-reset strategy";
  return [
    {
      file: CHART_FILES.distribution,
      alt: "Latency distribution per variant of scenario 1: naive, locked and the fixed flow",
      svg: latencyDistributionChart(
        [
          { label: "lab naive (no transaction)", distribution: r.s1.naive.distribution },
          { label: "lab locked (the app's apply step)", distribution: r.s1.locked.distribution },
          { label: "generation.generateScene", distribution: r.s1.fixed.distribution },
        ],
        { title: distributionTitle },
      ),
    },
    {
      file: CHART_FILES.lockScope,
      alt: "Lock scope: wall time, p50 and p95 of the fixed flow, the lab's locked and lock-across-model-call",
      svg: lockScopeChart(
        [
          { label: "fixed flow (server B)", ...r.s2.fixed },
          { label: "lab locked", ...r.s2.locked },
          { label: "lock across model call", ...r.s2.anti },
        ],
        { title: lockTitle },
      ),
    },
    {
      file: CHART_FILES.interleavings,
      alt: "Broken and ok interleavings per welcome-reset strategy, from the interleaving explorer",
      svg: interleavingsChart(
        r.interleavings.map(({ strategy, ...counts }) => ({ label: strategy, ...counts })),
        { title: exploreTitle },
      ),
    },
  ];
}
