"use client";

import { strategyLabels } from "~/lib/lab";
import { asTimelineRun, stripes, verdictStyles, type InterleavingCell, type InterleavingRun } from "./interleavings";
import { outcomeStyles } from "./kinds";
import { Legend, Timeline } from "./Timeline";
import { VerdictNotes } from "./VerdictNotes";

/** The schedule as chips, one per step, A's and B's told apart by more than colour (the letter). */
export function ScheduleChips({ schedule }: { schedule: string }) {
  return (
    <ol className="flex flex-wrap gap-1 font-mono text-[11px]" aria-label={`Schedule ${schedule}`}>
      {schedule.split(" ").map((step, index) => (
        <li
          key={index}
          className={`rounded px-1.5 py-0.5 ${
            step.startsWith("A") ? "bg-sky-100 text-sky-950" : "border border-slate-300 bg-white text-slate-900"
          }`}
        >
          {step}
        </li>
      ))}
    </ol>
  );
}

/**
 * One interleaving, picked in the grid: what the exploration said, then the replay (the
 * same schedule run again on a fresh project) on the lab's two-lane timeline, with the
 * verdict and the database after.
 */
export function InterleavingDetail({
  cell,
  position,
  total,
  run,
  pending,
  error,
  onRetry,
}: {
  cell: InterleavingCell;
  position: number;
  total: number;
  run: InterleavingRun | undefined;
  pending: boolean;
  error: string | undefined;
  onRetry: () => void;
}) {
  const style = verdictStyles[cell.verdict];
  const replayDiffers = run && run.explorerVerdict !== cell.verdict;

  return (
    <article
      aria-labelledby="interleaving-detail-title"
      aria-busy={pending}
      data-testid="interleaving-detail"
      data-schedule={cell.schedule}
      className="flex min-w-0 flex-col gap-4 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5"
    >
      <header className="flex min-w-0 flex-col gap-2">
        <div className="flex flex-wrap items-center gap-2">
          <h3 id="interleaving-detail-title" className="text-lg font-semibold tracking-tight">
            Interleaving {position} of {total}
          </h3>
          <span
            className={`inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-semibold ${style.className}`}
            style={style.striped ? stripes : undefined}
          >
            <span aria-hidden>{style.glyph}</span> {style.word}
          </span>
        </div>
        <ScheduleChips schedule={cell.schedule} />
        <p className="text-xs text-slate-600">
          Each chip is one SQL statement, released in this order: A3 is request A&apos;s third statement.
        </p>
        {cell.violations.length > 0 && (
          <ul className="list-disc pl-5 text-xs break-words text-red-900">
            {cell.violations.map((violation) => (
              <li key={violation}>{violation}</li>
            ))}
            {cell.violationCount > cell.violations.length && (
              <li>and {cell.violationCount - cell.violations.length} more (see the replay)</li>
            )}
          </ul>
        )}
      </header>

      {pending && (
        <p role="status" className="text-sm text-slate-700" data-testid="replay-pending">
          Replaying this interleaving on a fresh project…
        </p>
      )}
      {error && !pending && (
        <div role="alert" className="rounded-lg border border-red-300 bg-red-50 px-3 py-2.5 text-sm text-red-900">
          <p>The replay failed: {error}</p>
          <button
            type="button"
            onClick={onRetry}
            className="mt-2 rounded-md border border-red-400 bg-white px-3 py-1 text-xs font-medium hover:bg-red-100"
          >
            Try again
          </button>
        </div>
      )}

      {run && !pending && (
        <>
          <div
            data-testid="replay-verdict"
            data-outcome={run.verdict.outcome}
            data-verdict={run.explorerVerdict}
            className={`rounded-lg border px-3 py-2.5 text-sm break-words ${outcomeStyles[run.verdict.outcome].className}`}
          >
            <p className="font-semibold">
              <span aria-hidden className="mr-1.5">
                {outcomeStyles[run.verdict.outcome].icon}
              </span>
              {run.verdict.text}
            </p>
            {replayDiffers && (
              <p className="mt-1 text-xs font-semibold">
                The replay came out {verdictStyles[run.explorerVerdict].word}; the exploration saw {style.word}.
              </p>
            )}
            <VerdictNotes notes={run.verdict.notes} />
            <p className="mt-1 text-xs">
              Replayed with the {strategyLabels[run.strategy].label} strategy in {Math.round(run.durationMs)} ms
              (the explorer releases one statement at a time, so times include its turns).
            </p>
          </div>

          <Timeline key={run.state.projectId} run={asTimelineRun(run)} />
          <details className="rounded-md border border-slate-200 text-xs">
            <summary className="cursor-pointer rounded-md px-3 py-2 font-medium text-slate-800 hover:bg-slate-50">
              What the marks mean
            </summary>
            <div className="border-t border-slate-200 px-3 py-2">
              <Legend />
              <p className="mt-2 text-slate-600">
                A mark is when the explorer released the statement; a statement lasts until its answer. A lock wait is a
                statement the server showed waiting (pg_blocking_pids), drawn from its release to its answer.
              </p>
            </div>
          </details>

          <DatabaseAfter run={run} />
        </>
      )}
    </article>
  );
}

function DatabaseAfter({ run }: { run: InterleavingRun }) {
  const { state } = run;
  const replies = state.messages.filter((message) => message.role === "assistant");
  return (
    <section aria-label="Database after the replay" data-testid="replay-state" className="text-sm">
      <h4 className="font-semibold text-slate-900">Database after</h4>
      <p className="mt-1 text-xs text-slate-700">
        Project <code className="font-mono">isWelcome</code> = <strong>{String(state.isWelcome)}</strong> · scenes:{" "}
        {state.scenes.length === 0
          ? "(none)"
          : state.scenes.map((scene) => `${scene.name} (${scene.kind})`).join(", ")}
      </p>
      <ul className="mt-1 grid gap-1 text-xs">
        {replies.map((reply) => (
          <li
            key={reply.sequence}
            data-testid="replay-reply"
            data-scene-exists={reply.sceneExists ? "true" : "false"}
            className={reply.sceneExists ? "text-slate-700" : "font-semibold text-red-800"}
          >
            Reply {reply.lane ?? "?"} (#{reply.sequence}, {reply.status}):{" "}
            {reply.sceneId === null
              ? "no scene"
              : reply.sceneExists
                ? `✓ ${state.scenes.find((scene) => scene.id === reply.sceneId)?.name ?? "its scene"}`
                : `✗ “${run.lanes.find((lane) => lane.name === reply.lane)?.sceneName ?? "?"}” is gone`}
          </li>
        ))}
      </ul>
    </section>
  );
}
