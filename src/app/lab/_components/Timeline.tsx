"use client";

import { useLayoutEffect, useRef, useState, type KeyboardEvent } from "react";

import {
  barStyles,
  formatMs,
  isBar,
  kindStyles,
  stepSummary,
  type RaceLane,
  type RaceRun,
  type RaceStep,
} from "./kinds";

const MARK_PX = 14;
const ROW_PX = 18;
const TX_ROW_PX = 8;
const BAR_ROW_PX = 18;
const MAX_ROWS = 4;

const waitStripes = {
  backgroundImage: "repeating-linear-gradient(135deg, transparent 0 4px, rgb(194 65 12 / 0.35) 4px 6px)",
};

/** Round axis ticks: about five, at 1/2/5 × 10ⁿ ms. */
function axis(totalMs: number) {
  const candidates = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10_000];
  const step = candidates.find((candidate) => totalMs / candidate <= 5) ?? 10_000;
  const end = Math.max(step, Math.ceil(totalMs / step) * step);
  const ticks = Array.from({ length: Math.round(end / step) + 1 }, (_, index) => index * step);
  return { end, ticks };
}

const pct = (ms: number, end: number) => `${Math.min(100, Math.max(0, (ms / end) * 100))}%`;

/** Marks packed into rows so that close statements do not hide each other. */
function packRows(marks: RaceStep[], end: number, width: number) {
  const lastX: number[] = [];
  return marks.map((step) => {
    const x = (step.atMs / end) * (width || 600);
    let row = lastX.findIndex((last) => x - last >= MARK_PX + 3);
    if (row === -1) {
      if (lastX.length < MAX_ROWS) row = lastX.length;
      else row = lastX.indexOf(Math.min(...lastX));
    }
    lastX[row] = x;
    return row;
  });
}

function transactionSpans(steps: RaceStep[]) {
  const spans: { atMs: number; endMs: number }[] = [];
  let open: number | undefined;
  for (const step of steps) {
    if (step.kind === "begin") open = step.atMs;
    if ((step.kind === "commit" || step.kind === "rollback") && open !== undefined) {
      spans.push({ atMs: open, endMs: step.endMs ?? step.atMs });
      open = undefined;
    }
  }
  return spans;
}

function useWidth() {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    setWidth(element.getBoundingClientRect().width);
    const observer = new ResizeObserver(([entry]) => setWidth(entry?.contentRect.width ?? 0));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width] as const;
}

/**
 * The step to show first: the delete that lost a scene, or else the decision of the
 * request that got the lock last (its FOR UPDATE or compare-and-set UPDATE), made from
 * the row as the other one left it.
 */
function keyStep(run: RaceRun): Selection | undefined {
  const steps = run.lanes.flatMap((lane) => lane.steps.map((step, index) => ({ lane: lane.name, index, step })));
  const culprit = steps.find(({ step }) => step.culprit);
  if (culprit) return culprit;
  const decisions = steps
    .filter(({ step }) => step.kind === "lock" || step.label.includes("compare-and-set"))
    // By when the statement got its answer: the later request is the one that got the lock last.
    .sort((a, b) => (a.step.endMs ?? a.step.atMs) - (b.step.endMs ?? b.step.atMs));
  return decisions.at(-1);
}

interface Selection {
  lane: RaceLane["name"];
  index: number;
}

export function Timeline({ run }: { run: RaceRun }) {
  const totalMs = Math.max(run.durationMs, run.gate?.endMs ?? 0, 1);
  const { end, ticks } = axis(totalMs);
  const [ref, width] = useWidth();
  const highlight = keyStep(run);
  const [selected, select] = useState<Selection | undefined>(highlight);
  const selectedLane = run.lanes.find((lane) => lane.name === selected?.lane);
  const selectedStep = selected ? selectedLane?.steps[selected.index] : undefined;
  const detailId = `detail-${run.strategy}`;

  return (
    <figure className="min-w-0" data-testid="timeline" aria-labelledby={`timeline-title-${run.strategy}`}>
      <figcaption id={`timeline-title-${run.strategy}`} className="text-sm font-semibold text-slate-900">
        Timeline <span className="font-normal text-slate-600">(0 – {formatMs(end)})</span>
      </figcaption>

      <div ref={ref} className="relative mt-2">
        {/* Grid lines and the gate's band sit behind the lanes. */}
        <div aria-hidden className="pointer-events-none absolute inset-0">
          {ticks.map((tick) => (
            <div key={tick} className="absolute inset-y-0 w-px bg-slate-200" style={{ left: pct(tick, end) }} />
          ))}
          {run.gate && (
            <div
              className="absolute inset-y-0 border-x border-dashed border-violet-500 bg-violet-500/10"
              style={{ left: pct(run.gate.atMs, end), width: pct(run.gate.endMs - run.gate.atMs, end) }}
            />
          )}
        </div>

        {run.gate && (
          <div className="relative h-6" data-testid="gate">
            <div
              aria-hidden
              className="absolute top-1 h-4 rounded-sm border border-violet-700 bg-violet-100"
              style={{
                left: pct(run.gate.atMs, end),
                width: `max(${pct(run.gate.endMs - run.gate.atMs, end)}, 6px)`,
              }}
            />
            {/* The label may be wider than the bar: it runs away from the nearer edge. */}
            <p
              className="absolute top-1 px-1 text-[10px] leading-4 whitespace-nowrap text-violet-950"
              style={
                run.gate.atMs / end < 0.55
                  ? { left: pct(run.gate.atMs, end) }
                  : { right: `${100 - (run.gate.endMs / end) * 100}%` }
              }
            >
              <span className="sr-only">
                The gate held the project row lock from {formatMs(run.gate.atMs)} to {formatMs(run.gate.endMs)}.
              </span>
              <span aria-hidden>gate holds the project row</span>
            </p>
          </div>
        )}

        {run.lanes.map((lane) => (
          <LaneTrack
            key={lane.name}
            lane={lane}
            end={end}
            width={width}
            selectedIndex={selected?.lane === lane.name ? selected.index : undefined}
            onSelect={(index) => select({ lane: lane.name, index })}
            detailId={detailId}
          />
        ))}

        <div aria-hidden className="relative mt-1 h-4 text-[10px] text-slate-600 tabular-nums">
          {ticks.map((tick, index) => (
            <span
              key={tick}
              className="absolute top-0 whitespace-nowrap"
              style={{
                left: pct(tick, end),
                transform: `translateX(${index === 0 ? "0" : index === ticks.length - 1 ? "-100%" : "-50%"})`,
              }}
            >
              {tick} ms
            </span>
          ))}
        </div>
      </div>

      <div
        id={detailId}
        data-testid="step-detail"
        className="mt-3 min-h-[5.5rem] rounded-md border border-slate-200 bg-slate-50 p-3 text-xs text-slate-800"
      >
        {selectedStep && selected ? (
          <>
            <p className="font-medium text-slate-900">
              {selectedStep.culprit ? (
                <span className="mr-1 font-semibold text-red-800">The loss:</span>
              ) : (
                highlight?.lane === selected.lane &&
                highlight.index === selected.index && (
                  <span className="mr-1 font-semibold text-emerald-800">Where the later request decides:</span>
                )
              )}
              {stepSummary(selected.lane, selectedStep)}
            </p>
            {selectedStep.sql && (
              <pre className="mt-1 font-mono text-[11px] break-all whitespace-pre-wrap text-slate-700">
                {selectedStep.sql}
              </pre>
            )}
            {selectedStep.params && (
              <p className="mt-1 font-mono text-[11px] break-all text-slate-600">{selectedStep.params}</p>
            )}
          </>
        ) : (
          <p className="text-slate-600">
            Hover, focus or tap a mark to see its SQL. In a lane, the arrow keys move between steps.
          </p>
        )}
      </div>
    </figure>
  );
}

function LaneTrack({
  lane,
  end,
  width,
  selectedIndex,
  onSelect,
  detailId,
}: {
  lane: RaceLane;
  end: number;
  width: number;
  selectedIndex: number | undefined;
  onSelect: (index: number) => void;
  detailId: string;
}) {
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);
  const [focusIndex, setFocusIndex] = useState(0);
  const marks = lane.steps.map((step, index) => ({ step, index })).filter(({ step }) => !isBar(step.kind));
  const rows = packRows(
    marks.map(({ step }) => step),
    end,
    width,
  );
  const rowCount = Math.max(1, ...rows.map((row) => row + 1));
  const barTop = TX_ROW_PX + rowCount * ROW_PX + 2;
  const height = barTop + BAR_ROW_PX;
  const labelId = `lane-${lane.name}-${lane.pid}`;

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const last = lane.steps.length - 1;
    const next =
      event.key === "ArrowRight" || event.key === "ArrowDown"
        ? Math.min(last, focusIndex + 1)
        : event.key === "ArrowLeft" || event.key === "ArrowUp"
          ? Math.max(0, focusIndex - 1)
          : event.key === "Home"
            ? 0
            : event.key === "End"
              ? last
              : undefined;
    if (next === undefined) return;
    event.preventDefault();
    setFocusIndex(next);
    buttons.current[next]?.focus();
  }

  const common = (step: RaceStep, index: number) => ({
    ref: (element: HTMLButtonElement | null) => {
      buttons.current[index] = element;
    },
    type: "button" as const,
    "data-testid": "step",
    "data-kind": step.kind,
    "data-culprit": step.culprit ? "true" : undefined,
    tabIndex: index === focusIndex ? 0 : -1,
    "aria-label": stepSummary(lane.name, step),
    "aria-controls": detailId,
    onFocus: () => {
      setFocusIndex(index);
      onSelect(index);
    },
    onMouseEnter: () => onSelect(index),
    onClick: () => onSelect(index),
  });

  return (
    <div data-testid="lane" data-lane={lane.name} className="relative mt-1">
      <p id={labelId} className="text-xs font-medium text-slate-700">
        Request {lane.name} <span className="font-normal text-slate-600">· “{lane.prompt}”</span>
        {lane.lockWaitMs > 0 && (
          <span className="font-normal text-orange-900"> · waited {formatMs(lane.lockWaitMs)} for locks</span>
        )}
        {lane.error && <span className="font-normal text-red-800"> · failed</span>}
      </p>
      <div
        role="group"
        aria-labelledby={labelId}
        aria-roledescription="lane"
        onKeyDown={onKeyDown}
        className="relative rounded-md border border-slate-200 bg-white/70"
        style={{ height }}
      >
        {transactionSpans(lane.steps).map((span) => (
          <div
            key={span.atMs}
            aria-hidden
            title="transaction"
            className="absolute top-1 h-1 rounded-full bg-slate-400"
            style={{ left: pct(span.atMs, end), width: `max(${pct(span.endMs - span.atMs, end)}, 2px)` }}
          />
        ))}

        {marks.map(({ step, index }, markIndex) => {
          const style = kindStyles[step.kind as keyof typeof kindStyles];
          const shape = {
            circle: "size-3.5 rounded-full",
            square: "size-3.5 rounded-[3px]",
            diamond: "size-2.5 rotate-45 rounded-[2px]",
            pill: "h-3.5 w-2.5 rounded-full",
          }[style.shape];
          const selected = selectedIndex === index;
          return (
            <button
              key={index}
              {...common(step, index)}
              className={`absolute grid place-items-center text-[9px] leading-none font-bold ${shape} ${style.className} ${
                step.culprit ? "ring-2 ring-red-700 ring-offset-1" : ""
              } ${selected ? "z-10 outline-2 outline-offset-2 outline-slate-900" : ""}`}
              style={{
                left: `clamp(0px, calc(${pct(step.atMs, end)} - ${MARK_PX / 2}px), calc(100% - ${MARK_PX}px))`,
                top: TX_ROW_PX + (rows[markIndex] ?? 0) * ROW_PX + (style.shape === "diamond" ? 2 : 0),
              }}
            >
              <span aria-hidden className={style.shape === "diamond" ? "-rotate-45 text-[8px]" : undefined}>
                {style.glyph}
              </span>
            </button>
          );
        })}

        {lane.steps.map((step, index) => {
          if (!isBar(step.kind)) return null;
          const style = barStyles[step.kind];
          const selected = selectedIndex === index;
          return (
            <button
              key={index}
              {...common(step, index)}
              className={`absolute overflow-hidden rounded-sm px-1 text-left text-[10px] leading-[14px] whitespace-nowrap ${style.className} ${
                selected ? "z-10 outline-2 outline-offset-2 outline-slate-900" : ""
              }`}
              style={{
                left: pct(step.atMs, end),
                width: `max(${pct((step.endMs ?? step.atMs) - step.atMs, end)}, 6px)`,
                top: barTop,
                height: 16,
                ...(step.kind === "wait" ? waitStripes : {}),
              }}
            >
              <span aria-hidden>{step.kind === "wait" ? "lock wait" : "model call"}</span>
            </button>
          );
        })}
      </div>
    </div>
  );
}

/** A step's mark, for the legend and the step list (decorative: the text says the same). */
export function StepGlyph({ kind }: { kind: RaceStep["kind"] }) {
  if (isBar(kind)) {
    return (
      <span
        aria-hidden
        className={`inline-block h-2.5 w-3.5 shrink-0 rounded-sm ${barStyles[kind].className}`}
        style={kind === "wait" ? waitStripes : undefined}
      />
    );
  }
  const style = kindStyles[kind];
  const shape = {
    circle: "size-3.5 rounded-full",
    square: "size-3.5 rounded-[3px]",
    diamond: "mx-0.5 size-2.5 rotate-45 rounded-[2px]",
    pill: "h-3.5 w-2.5 rounded-full",
  }[style.shape];
  return (
    <span aria-hidden className={`inline-grid shrink-0 place-items-center text-[9px] leading-none font-bold ${shape} ${style.className}`}>
      <span className={style.shape === "diamond" ? "-rotate-45 text-[8px]" : undefined}>{style.glyph}</span>
    </span>
  );
}

export function Legend() {
  return (
    <ul className="flex flex-wrap gap-x-3 gap-y-1.5 text-[11px] text-slate-700" aria-label="Legend">
      {Object.entries(kindStyles)
        .filter(([kind]) => kind !== "other")
        .map(([kind, style]) => (
          <li key={kind} className="flex items-center gap-1">
            <StepGlyph kind={kind as keyof typeof kindStyles} />
            {style.name}
          </li>
        ))}
      <li className="flex items-center gap-1">
        <span aria-hidden className={`h-2.5 w-6 rounded-sm ${barStyles.model.className}`} />
        {barStyles.model.name}
      </li>
      <li className="flex items-center gap-1">
        <span aria-hidden className={`h-2.5 w-6 rounded-sm ${barStyles.wait.className}`} style={waitStripes} />
        {barStyles.wait.name}
      </li>
      <li className="flex items-center gap-1">
        <span aria-hidden className="h-1 w-6 rounded-full bg-slate-400" />
        transaction
      </li>
      <li className="flex items-center gap-1">
        <span aria-hidden className="h-2.5 w-6 rounded-sm border border-violet-700 bg-violet-100" />
        gate holds the project row
      </li>
    </ul>
  );
}
