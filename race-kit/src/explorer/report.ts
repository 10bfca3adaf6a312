import type { ExplorationReport, Interleaving } from "./types";

const percent = (part: number, whole: number) => `${((100 * part) / Math.max(1, whole)).toFixed(part === whole ? 0 : 1)} %`;

/** The totals on one line: what a test prints and the docs' table is made of. */
export function summaryLine(report: ExplorationReport): string {
  const feasible = report.complete
    ? `feasible ${report.feasible}`
    : `feasible ≈${report.estimatedFeasible ?? "?"} (estimated)`;
  const coverage = report.complete
    ? "all"
    : `${percent(report.explored, report.estimatedFeasible ?? report.total)} covered`;
  return `${report.name}: steps ${Object.entries(report.stepsPerLane)
    .map(([lane, steps]) => `${lane}=${steps}`)
    .join(" ")} · total ${report.total} · ${feasible} · explored ${report.explored} (${coverage}) · breaking ${report.counts.broken} · ${report.durationMs} ms`;
}

export function describeBreaking(interleaving: Interleaving): string[] {
  const lines = [`  ${interleaving.schedule}`, ...interleaving.violations.map((violation) => `    ✗ ${violation}`)];
  const { damage } = interleaving;
  if (damage) {
    lines.push(`    damage at ${damage.step}: ${damage.sql.slice(0, 160)}`);
    for (const write of damage.transaction ?? []) lines.push(`      in its transaction: ${write.slice(0, 160)}`);
  }
  return lines;
}

/** A few lines for a test log: totals, verdict counts, the first breaking schedule. */
export function formatReport(report: ExplorationReport): string {
  const { counts } = report;
  const lines = [
    `[explore] ${summaryLine(report)}`,
    `  verdicts: ok ${counts.ok} · blocked ${counts.blocked} · deadlock ${counts.deadlock} · broken ${counts.broken} · error ${counts.error}`,
  ];
  const first = report.breaking[0];
  if (first) lines.push("  first breaking interleaving:", ...describeBreaking(first).map((line) => `  ${line}`));
  for (const note of report.notes) lines.push(`  note: ${note}`);
  return lines.join("\n");
}
