"use client";

import { useRef, useState, type KeyboardEvent } from "react";

import { strategyLabels, welcomeResetStrategyNames, type WelcomeResetStrategy } from "~/lib/lab";
import { api } from "~/trpc/react";
import { InterleavingDetail } from "./InterleavingDetail";
import {
  stripes,
  totalsText,
  verdictOrder,
  verdictStyles,
  type ExplorationSummary,
  type InterleavingCell,
} from "./interleavings";

/**
 * The Race Lab's "All interleavings" view: race-kit's explorer runs the welcome reset's
 * two requests in every order their SQL statements can take (the exploration the tests
 * run, src/server/lab/explore/welcome-reset.ts), one cell per interleaving; a cell
 * replays on the two-lane timeline.
 */
export function AllInterleavings() {
  const [strategy, setStrategy] = useState<WelcomeResetStrategy>("naive");
  const [selected, setSelected] = useState<string>();
  const exploration = api.lab.explore.useMutation({ onMutate: () => setSelected(undefined) });
  const replay = api.lab.replayInterleaving.useMutation();
  const detailRef = useRef<HTMLDivElement>(null);
  const summary = exploration.data;
  const cell = summary?.interleavings.find((candidate) => candidate.schedule === selected);
  // Only the answer to the latest pick (a quick second click supersedes the first).
  const replayed =
    replay.variables?.schedule === selected && replay.variables?.strategy === summary?.strategy ? replay : undefined;

  function explore() {
    if (exploration.isPending) return;
    exploration.mutate({ strategy });
  }

  function open(target: InterleavingCell) {
    if (!summary) return;
    setSelected(target.schedule);
    replay.mutate({ strategy: summary.strategy, schedule: target.schedule });
    if (window.matchMedia("(max-width: 1023px)").matches) {
      requestAnimationFrame(() => detailRef.current?.scrollIntoView({ block: "start", behavior: "smooth" }));
    }
  }

  const announcement = exploration.isPending
    ? `Exploring every interleaving of ${strategyLabels[strategy].label}…`
    : summary
      ? `Explored ${summary.explored} interleavings of ${strategyLabels[summary.strategy].label}: ${totalsText(summary)}.`
      : "";

  return (
    <section aria-labelledby="all-interleavings-title" className="mt-12 border-t border-slate-200 pt-8" data-testid="all-interleavings">
      <h2 id="all-interleavings-title" className="text-xl font-semibold tracking-tight">
        All interleavings
      </h2>
      <p className="mt-2 max-w-3xl text-sm text-slate-700">
        The race above forces one chosen order. Here race-kit&apos;s interleaving explorer runs the two requests (A
        “Red intro”, B “Blue outro”, both exchanges already claimed) in <em>every</em> order their SQL statements can
        take, each on a fresh project against the real PostgreSQL, and checks the app&apos;s invariants after each run:
        the same exploration the tests run. A statement that waits for a lock lets the other request go on; orders that
        would need it to move cannot happen and are not run.
      </p>

      <div className="mt-4 flex flex-col gap-4 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5">
        <fieldset className="min-w-0">
          <legend className="text-sm font-semibold text-slate-900">Strategy to explore</legend>
          <div className="mt-2 flex flex-wrap gap-2">
            {welcomeResetStrategyNames.map((name) => {
              const { label, broken } = strategyLabels[name];
              return (
                <label
                  key={name}
                  className="flex cursor-pointer items-center gap-2 rounded-lg border border-slate-200 px-3 py-2 text-sm hover:border-slate-400 has-[:checked]:border-slate-900 has-[:checked]:bg-slate-50"
                >
                  <input
                    type="radio"
                    name="explore-strategy"
                    value={name}
                    checked={strategy === name}
                    onChange={() => setStrategy(name)}
                    data-testid={`explore-strategy-${name}`}
                    className="size-4 shrink-0 accent-slate-900"
                  />
                  <span className="min-w-0">
                    <span className="font-medium text-slate-900">{label}</span>{" "}
                    <span className={`text-xs ${broken ? "text-red-800" : "text-emerald-800"}`}>
                      {broken ? "(broken)" : "(fix)"}
                    </span>
                  </span>
                </label>
              );
            })}
          </div>
        </fieldset>
        <div className="flex flex-wrap items-center gap-3">
          <button
            type="button"
            onClick={explore}
            aria-busy={exploration.isPending}
            aria-disabled={exploration.isPending}
            data-testid="explore-button"
            className="rounded-lg bg-slate-900 px-6 py-2.5 text-sm font-semibold text-white shadow-sm hover:bg-slate-700 aria-disabled:cursor-wait aria-disabled:opacity-80"
          >
            {exploration.isPending ? "Exploring…" : "Explore all interleavings"}
          </button>
          <span className="text-xs text-slate-600">
            Takes 5 to 20 seconds: up to a few hundred real runs, each on a new project titled “Race Lab · all
            interleavings · …” (not in your project list).
          </span>
        </div>
        {exploration.error && (
          <p role="alert" className="text-sm text-red-800">
            The exploration failed: {exploration.error.message}
          </p>
        )}
      </div>

      <p role="status" className="sr-only">
        {announcement}
      </p>

      {exploration.isPending && !summary && (
        <p className="mt-6 text-sm text-slate-700" data-testid="explore-pending">
          Running every interleaving of {strategyLabels[strategy].label}…
        </p>
      )}

      {summary && (
        <div className={`mt-6 flex flex-col gap-4 ${exploration.isPending ? "opacity-60" : ""}`} aria-busy={exploration.isPending}>
          <Totals summary={summary} />
          <div className="grid gap-6 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
            <div className="flex min-w-0 flex-col gap-3">
              <VerdictLegend summary={summary} />
              <CellGrid summary={summary} selected={selected} onOpen={open} />
            </div>
            <div ref={detailRef} className="min-w-0 scroll-mt-4">
              {cell ? (
                <InterleavingDetail
                  cell={cell}
                  position={summary.interleavings.indexOf(cell) + 1}
                  total={summary.interleavings.length}
                  run={replayed?.data}
                  pending={replayed?.isPending ?? false}
                  error={replayed?.error?.message}
                  onRetry={() => open(cell)}
                />
              ) : (
                <p className="rounded-xl border border-dashed border-slate-300 p-4 text-sm text-slate-600">
                  Pick a cell to replay that interleaving and see its two-lane timeline.
                </p>
              )}
            </div>
          </div>
        </div>
      )}
    </section>
  );
}

function Totals({ summary }: { summary: ExplorationSummary }) {
  const { label, broken } = strategyLabels[summary.strategy];
  const steps = Object.entries(summary.stepsPerLane)
    .map(([lane, count]) => `${lane} sends ${count}`)
    .join(", ");
  return (
    <div className="min-w-0">
      <h3 className="text-lg font-semibold tracking-tight">
        {label}{" "}
        <span className={`text-sm font-normal ${broken ? "text-red-800" : "text-emerald-800"}`}>
          {broken ? "(broken)" : "(fix)"}
        </span>
      </h3>
      <p className="mt-1 text-sm font-medium text-slate-900" data-testid="explore-totals" data-strategy={summary.strategy}>
        {totalsText(summary)}
      </p>
      <p className="mt-0.5 text-xs text-slate-600">
        Statements per request: {steps}. Explored in {(summary.durationMs / 1000).toFixed(1)} s.
        {summary.counts.broken > 0 &&
          ` ${Math.round((100 * summary.counts.broken) / Math.max(1, summary.explored))} % of the orders lose a scene.`}
      </p>
      {summary.notes.length > 0 && (
        <ul className="mt-1 list-disc pl-5 text-xs text-amber-900">
          {summary.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

function VerdictLegend({ summary }: { summary: ExplorationSummary }) {
  return (
    <ul aria-label="Cell legend" className="flex flex-wrap gap-x-4 gap-y-1.5 text-xs text-slate-700">
      {verdictOrder
        .filter((verdict) => summary.counts[verdict] > 0 || verdict !== "error")
        .map((verdict) => {
          const style = verdictStyles[verdict];
          return (
            <li key={verdict} className="flex items-center gap-1.5" title={style.meaning}>
              <span
                aria-hidden
                className={`grid size-5 shrink-0 place-items-center rounded text-[11px] leading-none font-bold ${style.className}`}
                style={style.striped ? stripes : undefined}
              >
                {style.glyph}
              </span>
              <span>
                <span className="font-medium text-slate-900">{style.word}</span> ({summary.counts[verdict]})
                <span className="sr-only">: {style.meaning}</span>
              </span>
            </li>
          );
        })}
    </ul>
  );
}

/**
 * One button per interleaving, in the order the explorer ran them (depth first, so
 * neighbours share a prefix). One Tab stop: the arrow keys move, Home/End jump, Enter or
 * Space replays the cell.
 */
function CellGrid({
  summary,
  selected,
  onOpen,
}: {
  summary: ExplorationSummary;
  selected: string | undefined;
  onOpen: (cell: InterleavingCell) => void;
}) {
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);
  const [focusIndex, setFocusIndex] = useState(0);
  const cells = summary.interleavings;
  const current = Math.min(focusIndex, cells.length - 1);

  /** Cells per row as laid out now (the grid wraps with the width). */
  function columns() {
    const top = buttons.current[0]?.offsetTop;
    const index = buttons.current.findIndex((button) => button !== null && button.offsetTop !== top);
    return index <= 0 ? cells.length : index;
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const last = cells.length - 1;
    const moves: Record<string, () => number> = {
      ArrowRight: () => Math.min(last, current + 1),
      ArrowLeft: () => Math.max(0, current - 1),
      ArrowDown: () => Math.min(last, current + columns()),
      ArrowUp: () => Math.max(0, current - columns()),
      Home: () => 0,
      End: () => last,
    };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    const next = move();
    setFocusIndex(next);
    buttons.current[next]?.focus();
  }

  return (
    <div className="min-w-0">
      <p id="interleaving-grid-help" className="mb-2 text-xs text-slate-600">
        {cells.length} cells, one per interleaving. Pick one to replay it; in the grid, the arrow keys move between
        cells.
      </p>
      <div
        role="group"
        aria-label={`Interleavings of the ${strategyLabels[summary.strategy].label} strategy`}
        aria-describedby="interleaving-grid-help"
        onKeyDown={onKeyDown}
        data-testid="interleaving-grid"
        className="flex flex-wrap gap-1"
      >
        {cells.map((cell, index) => {
          const style = verdictStyles[cell.verdict];
          const isSelected = cell.schedule === selected;
          return (
            <button
              key={cell.schedule}
              ref={(element) => {
                buttons.current[index] = element;
              }}
              type="button"
              tabIndex={index === current ? 0 : -1}
              aria-pressed={isSelected}
              aria-label={`Interleaving ${index + 1}, ${cell.schedule}: ${style.word}`}
              title={`${cell.schedule}: ${style.word}`}
              data-testid="interleaving-cell"
              data-verdict={cell.verdict}
              data-schedule={cell.schedule}
              onFocus={() => setFocusIndex(index)}
              onClick={() => onOpen(cell)}
              className={`grid size-7 place-items-center rounded text-[12px] leading-none font-bold ${style.className} ${
                isSelected ? "outline-3 outline-offset-2 outline-slate-900" : "hover:opacity-80"
              }`}
              style={style.striped ? stripes : undefined}
            >
              <span aria-hidden>{style.glyph}</span>
            </button>
          );
        })}
      </div>
    </div>
  );
}
