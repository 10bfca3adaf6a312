"use client";

import Link from "next/link";
import { useState, type FormEvent } from "react";

import { strategyLabels, welcomeResetStrategyNames, type WelcomeResetStrategy } from "~/lib/lab";
import { api } from "~/trpc/react";
import { AllInterleavings } from "./AllInterleavings";
import { ChatStateScenario } from "./ChatStateScenario";
import { RunCard } from "./RunCard";
import { Legend } from "./Timeline";
import { ToolRegistrationResults } from "./ToolRegistrationResults";

const scenarios = [
  {
    id: "welcome-reset",
    name: "Welcome reset",
    description: "Two generations on a new project: does the second one delete the first one's scene?",
  },
  {
    id: "tool-registration",
    name: "Tool registration",
    description: "110 orchestrator constructions: how many times is each tool registered?",
  },
  {
    id: "chat-state",
    name: "Chat state",
    description: "A slow reply: is your message shown once or twice? (runs in your browser)",
  },
] as const;
type Scenario = (typeof scenarios)[number]["id"];

const schedules = [
  { id: "auto", name: "The one that exposes each strategy" },
  { id: "sequential", name: "Sequential: A finishes, then B" },
  { id: "gated", name: "Gated: both queue behind a row lock" },
] as const;
type ScheduleChoice = (typeof schedules)[number]["id"];

const MAX_STRATEGIES = 4;

export function RaceLab() {
  const [scenario, setScenario] = useState<Scenario>("welcome-reset");
  const [strategies, setStrategies] = useState<WelcomeResetStrategy[]>(["naive", "locked"]);
  const [schedule, setSchedule] = useState<ScheduleChoice>("auto");
  const [formError, setFormError] = useState<string>();
  const race = api.lab.race.useMutation();
  const tools = api.lab.toolRegistration.useMutation();
  const pending = race.isPending || tools.isPending;

  function toggle(strategy: WelcomeResetStrategy, checked: boolean) {
    setFormError(undefined);
    setStrategies((current) =>
      checked
        ? welcomeResetStrategyNames.filter((name) => name === strategy || current.includes(name))
        : current.filter((name) => name !== strategy),
    );
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    if (scenario === "welcome-reset") {
      if (strategies.length === 0) {
        setFormError("Choose at least one strategy to race.");
        return;
      }
      race.mutate({ scenario, strategies, schedule });
    } else if (scenario === "tool-registration") {
      tools.mutate();
    }
  }

  const announcement = pending
    ? "Racing…"
    : scenario === "welcome-reset" && race.data
      ? `Race finished. ${race.data.runs.map((run) => `${run.strategy}: ${run.verdict.text}`).join(" ")}`
      : scenario === "tool-registration" && tools.data
        ? `Finished. ${tools.data.designs.map((design) => `${design.design}: ${design.verdict.text}`).join(" ")}`
        : "";

  return (
    <div className="mx-auto w-full max-w-7xl px-4 py-8 sm:px-6">
      <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-2">
        <h1 className="text-2xl font-semibold tracking-tight">Race Lab</h1>
        <Link href="/" className="rounded-md px-2 py-1 text-sm text-slate-700 hover:bg-slate-100 hover:text-slate-900">
          <span aria-hidden>←</span> All projects
        </Link>
      </div>
      <p className="mt-2 max-w-3xl text-sm text-slate-700">
        Watch the broken and the fixed code race, side by side. The server runs two real requests against PostgreSQL
        and forces the interleaving that exposes each strategy: pause points stand in for the model call, and a gate
        connection can hold the project&apos;s row lock until both requests are queued behind it. Every statement is
        recorded with its time.
      </p>

      <form
        onSubmit={onSubmit}
        aria-label="Race settings"
        className="mt-6 grid gap-5 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]"
      >
        <fieldset className="min-w-0">
          <legend className="text-sm font-semibold text-slate-900">Scenario</legend>
          <div className="mt-2 grid gap-2">
            {scenarios.map((option) => (
              <label
                key={option.id}
                className="flex cursor-pointer gap-3 rounded-lg border border-slate-200 p-3 text-sm hover:border-slate-400 has-[:checked]:border-slate-900 has-[:checked]:bg-slate-50"
              >
                <input
                  type="radio"
                  name="scenario"
                  value={option.id}
                  data-testid={`scenario-${option.id}`}
                  checked={scenario === option.id}
                  onChange={() => setScenario(option.id)}
                  className="mt-0.5 size-4 shrink-0 accent-slate-900"
                  aria-describedby={`scenario-${option.id}-description`}
                />
                <span>
                  <span className="font-medium text-slate-900">{option.name}</span>
                  <span id={`scenario-${option.id}-description`} className="block text-slate-600">
                    {option.description}
                  </span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>

        <div className="flex min-w-0 flex-col gap-4">
          {scenario === "welcome-reset" && (
            <>
              <fieldset className="min-w-0">
                <legend className="text-sm font-semibold text-slate-900">
                  Strategies to compare <span className="font-normal text-slate-600">(1 to {MAX_STRATEGIES})</span>
                </legend>
                <div className="mt-2 grid gap-2 sm:grid-cols-2">
                  {welcomeResetStrategyNames.map((name) => {
                    const checked = strategies.includes(name);
                    const { label, broken, summary } = strategyLabels[name];
                    return (
                      <label
                        key={name}
                        className="flex cursor-pointer gap-3 rounded-lg border border-slate-200 p-3 text-sm hover:border-slate-400 has-[:checked]:border-slate-900 has-[:checked]:bg-slate-50 has-[:disabled]:cursor-not-allowed has-[:disabled]:opacity-60"
                      >
                        <input
                          type="checkbox"
                          name="strategies"
                          value={name}
                          data-testid={`strategy-${name}`}
                          checked={checked}
                          disabled={!checked && strategies.length >= MAX_STRATEGIES}
                          onChange={(event) => toggle(name, event.target.checked)}
                          className="mt-0.5 size-4 shrink-0 accent-slate-900"
                          aria-describedby={`strategy-${name}-description`}
                        />
                        <span className="min-w-0">
                          <span className="font-medium text-slate-900">{label}</span>{" "}
                          <span className={`text-xs ${broken ? "text-red-800" : "text-emerald-800"}`}>
                            {broken ? "(broken)" : "(fix)"}
                          </span>
                          <span id={`strategy-${name}-description`} className="block text-slate-600">
                            {summary}
                          </span>
                        </span>
                      </label>
                    );
                  })}
                </div>
              </fieldset>
              <label className="flex flex-col gap-1 text-sm sm:flex-row sm:items-center sm:gap-3">
                <span className="font-semibold text-slate-900">Schedule</span>
                <select
                  value={schedule}
                  onChange={(event) => setSchedule(event.target.value as ScheduleChoice)}
                  data-testid="schedule-select"
                  className="min-w-0 rounded-md border border-slate-300 bg-white px-2 py-1.5 text-slate-900 hover:border-slate-500"
                >
                  {schedules.map((option) => (
                    <option key={option.id} value={option.id}>
                      {option.name}
                    </option>
                  ))}
                </select>
              </label>
            </>
          )}

          {scenario === "chat-state" ? (
            <p className="text-sm text-slate-700">
              This one runs in your browser, not on the server: see below, and open a project with either chat panel.
            </p>
          ) : (
            <div className="flex flex-wrap items-center gap-3">
              <button
                type="submit"
                data-testid="race-button"
                aria-busy={pending}
                className="rounded-lg bg-slate-900 px-6 py-2.5 text-sm font-semibold text-white shadow-sm hover:bg-slate-700"
              >
                {pending ? "Racing…" : "Race"}
              </button>
              {scenario === "welcome-reset" && (
                <span className="text-xs text-slate-600">
                  Each strategy gets a new project of yours, titled “Race Lab · …”.
                </span>
              )}
            </div>
          )}
          {formError && (
            <p role="alert" className="text-sm text-red-800">
              {formError}
            </p>
          )}
          {(scenario === "welcome-reset" ? race.error : scenario === "tool-registration" ? tools.error : null) && (
            <p role="alert" className="text-sm text-red-800">
              The race failed: {(scenario === "welcome-reset" ? race.error : tools.error)?.message}
            </p>
          )}
        </div>
      </form>

      <p role="status" className="sr-only">
        {announcement}
      </p>

      <section aria-label="Results" aria-busy={pending} className="mt-8" data-testid="results">
        {scenario === "welcome-reset" && race.data && (
          <>
            <div className="mb-4 flex flex-col gap-2">
              <h2 className="text-lg font-semibold tracking-tight">Results</h2>
              <Legend />
              <p className="text-xs text-slate-600">
                Marks are when each statement was sent (postgres.js&apos;s debug hook, one connection per request); a
                statement lasts until the next mark in its lane. Lock waits are what pg_blocking_pids() showed, polled
                every ~{race.data.runs[0]?.pollIntervalMs ?? 2} ms, so a wait shorter than that may not show.
              </p>
            </div>
            <div className="grid gap-6 lg:grid-cols-2">
              {race.data.runs.map((run) => (
                <RunCard key={run.state.projectId} run={run} />
              ))}
            </div>
          </>
        )}
        {scenario === "tool-registration" && tools.data && (
          <>
            <h2 className="mb-4 text-lg font-semibold tracking-tight">Results</h2>
            <ToolRegistrationResults result={tools.data} />
          </>
        )}
        {scenario === "chat-state" && <ChatStateScenario />}
      </section>

      <AllInterleavings />
    </div>
  );
}
