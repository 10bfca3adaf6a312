"use client";

import type { ToolRegistrationResult } from "./kinds";

/** Naive and fixed registries after the same abuse, as registration counts per tool. */
export function ToolRegistrationResults({ result }: { result: ToolRegistrationResult }) {
  const max = Math.max(1, ...result.designs.flatMap((design) => design.counts.map((entry) => entry.count)));

  return (
    <div className="grid gap-6 lg:grid-cols-2">
      {result.designs.map((design) => (
        <article
          key={design.design}
          aria-labelledby={`tools-${design.design}`}
          data-testid="tool-design"
          data-design={design.design}
          className="flex min-w-0 flex-col gap-4 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5"
        >
          <header>
            <div className="flex flex-wrap items-center gap-2">
              <h3 id={`tools-${design.design}`} className="text-lg font-semibold tracking-tight">
                {design.title}
              </h3>
              <span
                className={`rounded-full px-2 py-0.5 text-xs font-medium ${
                  design.design === "naive" ? "bg-red-100 text-red-900" : "bg-emerald-100 text-emerald-900"
                }`}
              >
                {design.design === "naive" ? "broken variant" : "the fix"}
              </span>
            </div>
            <ul className="mt-2 list-disc pl-5 text-sm text-slate-700">
              {design.steps.map((step) => (
                <li key={step}>{step}</li>
              ))}
            </ul>
          </header>

          <div
            data-testid="tool-verdict"
            data-design={design.design}
            data-ok={design.verdict.ok ? "true" : "false"}
            className={`rounded-lg border px-3 py-2.5 text-sm font-semibold ${
              design.verdict.ok
                ? "border-emerald-300 bg-emerald-50 text-emerald-950"
                : "border-red-300 bg-red-50 text-red-950"
            }`}
          >
            <span aria-hidden className="mr-1.5">
              {design.verdict.ok ? "✓" : "✗"}
            </span>
            {design.verdict.text}
          </div>

          <table className="w-full text-left text-sm">
            <caption className="pb-2 text-left text-sm font-semibold text-slate-900">Registrations per tool</caption>
            <thead className="sr-only">
              <tr>
                <th scope="col">Tool</th>
                <th scope="col">Registrations</th>
              </tr>
            </thead>
            <tbody>
              {design.counts.map((entry) => (
                <tr key={entry.tool}>
                  <th scope="row" className="w-28 py-1 pr-3 font-mono text-xs font-normal text-slate-800">
                    {entry.tool}
                  </th>
                  <td className="py-1">
                    <div className="flex items-center gap-2">
                      <div className="h-4 min-w-0 flex-1 rounded-sm bg-slate-100">
                        <div
                          aria-hidden
                          className={`h-4 rounded-sm ${entry.count > 1 ? "bg-red-700" : "bg-emerald-700"}`}
                          style={{ width: `max(${(entry.count / max) * 100}%, 4px)` }}
                        />
                      </div>
                      <span
                        data-testid="tool-count"
                        data-tool={entry.tool}
                        data-count={entry.count}
                        className="w-10 text-right font-semibold tabular-nums"
                      >
                        {entry.count}
                      </span>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </article>
      ))}
      <p className="text-xs text-slate-600 lg:col-span-2">
        Both runs used registries made for this run; this server&apos;s own tool registry was not touched. Took{" "}
        {result.durationMs.toFixed(1)} ms. See docs/patterns/tool-registry.md.
      </p>
    </div>
  );
}
