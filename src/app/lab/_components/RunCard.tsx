"use client";

import Link from "next/link";

import { strategyLabels } from "~/lib/lab";
import { barStyles, formatMs, isBar, kindStyles, outcomeStyles, type RaceRun, type RaceStep } from "./kinds";
import { StepGlyph, Timeline } from "./Timeline";
import { VerdictNotes } from "./VerdictNotes";

const kindName = (kind: RaceStep["kind"]) => (isBar(kind) ? barStyles[kind].name : kindStyles[kind].name);

const scheduleNames: Record<RaceRun["schedule"], string> = {
  sequential: "sequential",
  gated: "gated",
  queued: "queued",
};

/** One strategy's race: verdict, timeline, every step in order, and the database after. */
export function RunCard({ run }: { run: RaceRun }) {
  const { label, broken, summary } = strategyLabels[run.strategy];
  const lost = run.verdict.lost > 0;
  const headingId = `run-${run.strategy}`;

  return (
    <article
      aria-labelledby={headingId}
      data-testid="run"
      data-strategy={run.strategy}
      className="flex min-w-0 flex-col gap-4 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5"
    >
      <header>
        <div className="flex flex-wrap items-center gap-2">
          <h3 id={headingId} className="text-lg font-semibold tracking-tight">
            {label}
          </h3>
          <span
            className={`rounded-full px-2 py-0.5 text-xs font-medium ${
              broken ? "bg-red-100 text-red-900" : "bg-emerald-100 text-emerald-900"
            }`}
          >
            {broken ? "broken variant" : "a fix"}
          </span>
        </div>
        <p className="mt-1 text-sm text-slate-600">It {summary}.</p>
        <p className="mt-2 text-xs text-slate-700" data-testid="schedule" data-schedule={run.schedule}>
          <span className="font-semibold">Schedule: {scheduleNames[run.schedule]}.</span>{" "}
          {run.scheduleText.replace(/^\w+: /, "")}
        </p>
      </header>

      <div
        data-testid="verdict"
        data-lost={lost ? "true" : "false"}
        data-outcome={run.verdict.outcome}
        data-strategy={run.strategy}
        className={`rounded-lg border px-3 py-2.5 text-sm ${outcomeStyles[run.verdict.outcome].className}`}
      >
        <p className="font-semibold">
          <span aria-hidden className="mr-1.5">
            {outcomeStyles[run.verdict.outcome].icon}
          </span>
          {run.verdict.text}
        </p>
        <VerdictNotes notes={run.verdict.notes} />
        <p className="mt-1 text-xs">
          Race took {formatMs(run.durationMs)}.{" "}
          <Link
            href={`/projects/${run.state.projectId}/generate`}
            className="font-medium underline underline-offset-2 hover:no-underline"
          >
            Open this project<span className="sr-only"> ({label})</span>
          </Link>
        </p>
      </div>

      <Timeline run={run} />

      <StepList run={run} />

      <DatabaseState run={run} />
    </article>
  );
}

/** The same steps as text, in time order across both requests. */
function StepList({ run }: { run: RaceRun }) {
  const rows = run.lanes
    .flatMap((lane) => lane.steps.map((step) => ({ lane: lane.name, step })))
    .sort((a, b) => a.step.atMs - b.step.atMs);

  return (
    <details className="group rounded-md border border-slate-200">
      <summary className="cursor-pointer rounded-md px-3 py-2 text-sm font-medium text-slate-800 hover:bg-slate-50">
        Every step in order ({rows.length}), with SQL
      </summary>
      {/* Scrollable, so it takes focus: keyboard users can scroll it too. */}
      <ol
        tabIndex={0}
        aria-label={`Steps of the ${run.strategy} race, in time order`}
        className="max-h-96 overflow-y-auto border-t border-slate-200 text-xs"
        data-testid="step-list"
      >
        {rows.map(({ lane, step }, index) => (
          <li
            key={index}
            className={`grid grid-cols-[4.5rem_1.5rem_minmax(0,1fr)] gap-x-2 px-3 py-1.5 ${
              step.culprit ? "bg-red-50" : index % 2 ? "bg-slate-50" : ""
            }`}
          >
            <span className="text-slate-600 tabular-nums">{formatMs(step.atMs)}</span>
            <span className="font-semibold text-slate-900">{lane}</span>
            <span className="min-w-0">
              <span className="text-slate-900">
                <StepGlyph kind={step.kind} /> <span className="sr-only">{kindName(step.kind)}: </span>
                {step.label}
                {step.endMs !== undefined && step.endMs > step.atMs && (
                  <span className="text-slate-600"> ({formatMs(step.endMs - step.atMs)})</span>
                )}
                {step.culprit && <strong className="text-red-800"> ← the loss</strong>}
              </span>
              {step.sql && (
                <code className="block truncate font-mono text-[11px] text-slate-600" title={step.sql}>
                  {step.sql}
                </code>
              )}
            </span>
          </li>
        ))}
      </ol>
    </details>
  );
}

function DatabaseState({ run }: { run: RaceRun }) {
  const { state } = run;
  const sceneName = (id: string | null) => state.scenes.find((scene) => scene.id === id)?.name;

  return (
    <section aria-label={`Database after the ${run.strategy} race`} data-testid="db-state" className="text-sm">
      <h4 className="font-semibold text-slate-900">Database after</h4>
      <p className="mt-1 text-xs text-slate-700">
        Project <code className="font-mono">isWelcome</code> ={" "}
        <strong data-testid="is-welcome">{String(state.isWelcome)}</strong>
      </p>
      <div className="mt-2 grid gap-3 sm:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
        <div className="min-w-0 overflow-x-auto">
          <table className="w-full text-left text-xs">
            <caption className="pb-1 text-left font-medium text-slate-700">Scenes</caption>
            <thead className="text-slate-600">
              <tr>
                <th scope="col" className="py-1 pr-2 font-medium">
                  Order
                </th>
                <th scope="col" className="py-1 pr-2 font-medium">
                  Name
                </th>
                <th scope="col" className="py-1 font-medium">
                  Kind
                </th>
              </tr>
            </thead>
            <tbody>
              {state.scenes.length === 0 ? (
                <tr>
                  <td colSpan={3} className="py-1 text-slate-600">
                    (none)
                  </td>
                </tr>
              ) : (
                state.scenes.map((scene) => (
                  <tr key={scene.id} className="border-t border-slate-100" data-testid="state-scene">
                    <td className="py-1 pr-2 tabular-nums">{scene.order}</td>
                    <td className="py-1 pr-2">{scene.name}</td>
                    <td className="py-1">{scene.kind}</td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
        <div className="min-w-0 overflow-x-auto">
          <table className="w-full text-left text-xs">
            <caption className="pb-1 text-left font-medium text-slate-700">Messages</caption>
            <thead className="text-slate-600">
              <tr>
                <th scope="col" className="py-1 pr-2 font-medium">
                  #
                </th>
                <th scope="col" className="py-1 pr-2 font-medium">
                  From
                </th>
                <th scope="col" className="py-1 pr-2 font-medium">
                  Status
                </th>
                <th scope="col" className="py-1 font-medium">
                  Scene
                </th>
              </tr>
            </thead>
            <tbody>
              {state.messages.map((message) => (
                <tr
                  key={message.sequence}
                  className={`border-t border-slate-100 ${message.sceneExists ? "" : "bg-red-50"}`}
                  data-testid="state-message"
                  data-scene-exists={message.sceneExists ? "true" : "false"}
                >
                  <td className="py-1 pr-2 tabular-nums">{message.sequence}</td>
                  <td className="py-1 pr-2 whitespace-nowrap">
                    {message.role === "user" ? "user" : "reply"}
                    {message.lane ? ` ${message.lane}` : ""}
                  </td>
                  <td className="py-1 pr-2">{message.status}</td>
                  <td className="py-1">
                    {message.sceneId === null ? (
                      <span className="text-slate-600">—</span>
                    ) : message.sceneExists ? (
                      <span>✓ {sceneName(message.sceneId)}</span>
                    ) : (
                      <strong className="text-red-800">
                        ✗ “{run.lanes.find((lane) => lane.name === message.lane)?.sceneName ?? "?"}” is gone
                      </strong>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </section>
  );
}
