/**
 * The few SVG pieces the bench's charts are drawn with (./charts.ts), written by hand so
 * the charts need no dependency: an accessible document (`role="img"`, `<title>` and
 * `<desc>`), text, a horizontal value axis with round ticks, and a legend. Everything is
 * escaped; every number is rounded, so a chart is the same text for the same results.
 */
export const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";
export const INK = "#0f172a";
export const MUTED = "#475569";
export const GRID = "#e2e8f0";

export const escapeXml = (text: string) =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;").replaceAll("'", "&apos;");

/** A number for an attribute: at most one decimal. */
export const n = (value: number) => String(Math.round(value * 10) / 10);

type Attributes = Record<string, string | number | undefined>;

const attributes = (values: Attributes) =>
  Object.entries(values)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => ` ${name}="${typeof value === "number" ? n(value) : escapeXml(value ?? "")}"`)
    .join("");

export const element = (name: string, values: Attributes, content?: string) =>
  content === undefined ? `<${name}${attributes(values)}/>` : `<${name}${attributes(values)}>${content}</${name}>`;

export const text = (x: number, y: number, content: string, values: Attributes = {}) =>
  element("text", { x, y, fill: INK, "font-size": 13, ...values }, escapeXml(content));

export const rect = (x: number, y: number, width: number, height: number, fill: string, values: Attributes = {}) =>
  element("rect", { x, y, width: Math.max(0, width), height, fill, ...values });

export const line = (x1: number, y1: number, x2: number, y2: number, stroke: string, values: Attributes = {}) =>
  element("line", { x1, y1, x2, y2, stroke, ...values });

export interface SvgDocument {
  /** Short name for ids, e.g. "lock-scope". */
  id: string;
  width: number;
  height: number;
  title: string;
  /** What the chart shows, in words (read by screen readers). */
  description: string;
  body: string[];
}

export function svgDocument({ id, width, height, title, description, body }: SvgDocument) {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${n(width)}" height="${n(height)}" viewBox="0 0 ${n(width)} ${n(height)}" role="img" aria-labelledby="${id}-title ${id}-desc" font-family="${escapeXml(FONT)}">`,
    element("title", { id: `${id}-title` }, escapeXml(title)),
    element("desc", { id: `${id}-desc` }, escapeXml(description)),
    rect(0, 0, width, height, "#ffffff"),
    text(16, 26, title, { "font-size": 16, "font-weight": 600 }),
    ...body,
    "</svg>",
    "",
  ].join("\n");
}

/** Round tick values from 0 past `max`: steps of 1, 2 or 5 × 10^k, about `count` of them. */
export function ticks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((factor) => factor * power >= raw) ?? 10) * power;
  const values: number[] = [];
  for (let value = 0; value < max + step * 0.999; value += step) values.push(Math.round(value * 1e6) / 1e6);
  return values;
}

export interface Axis {
  /** x of a value. */
  x: (value: number) => number;
  /** The gridlines, tick labels and axis label. */
  svg: string[];
}

/** A horizontal value axis under a plot from `top` to `bottom`, between `left` and `right`. */
export function valueAxis({ left, right, top, bottom, max, label, format }: {
  left: number;
  right: number;
  top: number;
  bottom: number;
  max: number;
  label: string;
  format: (value: number) => string;
}): Axis {
  const values = ticks(max);
  const end = values.at(-1) ?? 1;
  const x = (value: number) => left + (Math.max(0, value) / end) * (right - left);
  const svg = values.flatMap((value) => [
    line(x(value), top, x(value), bottom, GRID),
    text(x(value), bottom + 16, format(value), { "text-anchor": "middle", fill: MUTED, "font-size": 12 }),
  ]);
  svg.push(line(left, bottom, right, bottom, MUTED));
  svg.push(text((left + right) / 2, bottom + 36, label, { "text-anchor": "middle", fill: MUTED }));
  return { x, svg };
}

/** A row of coloured swatches with their names, starting at (x, y). */
export function legend(x: number, y: number, items: readonly { label: string; color: string }[]) {
  const out: string[] = [];
  let at = x;
  for (const item of items) {
    out.push(rect(at, y - 10, 12, 12, item.color, { rx: 2 }));
    out.push(text(at + 18, y, item.label, { fill: MUTED, "font-size": 12 }));
    at += 30 + item.label.length * 6.6;
  }
  return out;
}
