"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useOptimistic, useTransition } from "react";

import { chatPanelVariants, strategyLabels, welcomeResetStrategyNames, type ChatPanelVariant } from "~/lib/lab";
import { formatLatency, labWorkspaceHref, type LabSettings } from "./settings";

const chatLabels: Record<ChatPanelVariant, string> = {
  fixed: "Fixed (server list only)",
  naive: "Naive: optimistic + server list (broken)",
};

export function LabSwitcher({ projectId, settings }: { projectId: string; settings: LabSettings }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  // The URL stays the source of truth; this only shows the new choice until the page re-renders.
  const [shown, show] = useOptimistic(settings);

  function choose(patch: Partial<LabSettings>) {
    const next = { ...shown, ...patch };
    startTransition(() => {
      show(next);
      router.replace(labWorkspaceHref(projectId, next), { scroll: false });
    });
  }

  const selectClass =
    "min-w-0 rounded-md border border-amber-300 bg-white px-2 py-1 text-sm text-slate-900 hover:border-amber-400 disabled:opacity-60";

  return (
    <div
      role="group"
      aria-labelledby="lab-switcher-title"
      aria-busy={pending}
      data-testid="lab-switcher"
      className="flex max-w-full flex-wrap items-center gap-x-3 gap-y-2 rounded-lg border border-amber-200 bg-amber-50 px-3 py-1.5 text-sm"
    >
      {/* The switcher's title opens the Race Lab page (/lab): side-by-side forced races. */}
      <Link
        id="lab-switcher-title"
        href="/lab"
        data-testid="race-lab-link"
        title="Open the Race Lab page: the broken and the fixed code racing side by side"
        className="rounded-sm font-semibold text-amber-900 underline underline-offset-2 hover:no-underline"
      >
        Race Lab
      </Link>
      <label className="flex max-w-full min-w-0 items-center gap-1.5 text-amber-900">
        <span className="whitespace-nowrap">Welcome reset</span>
        <select
          aria-label="Welcome reset strategy"
          value={shown.strategy}
          onChange={(event) => choose({ strategy: event.target.value as LabSettings["strategy"] })}
          className={selectClass}
        >
          <option value="fixed">Fixed app (generation.generateScene)</option>
          {welcomeResetStrategyNames.map((name) => (
            <option key={name} value={name}>
              Lab: {strategyLabels[name].label}
              {strategyLabels[name].broken ? " (broken)" : ""}
            </option>
          ))}
        </select>
      </label>
      <label className="flex max-w-full min-w-0 items-center gap-1.5 text-amber-900">
        <span className="whitespace-nowrap">Chat</span>
        <select
          aria-label="Chat panel"
          value={shown.chat}
          onChange={(event) => choose({ chat: event.target.value as ChatPanelVariant })}
          className={selectClass}
        >
          {chatPanelVariants.map((variant) => (
            <option key={variant} value={variant}>
              {chatLabels[variant]}
            </option>
          ))}
        </select>
      </label>
      {shown.latency?.length ? (
        <span data-testid="lab-latency" className="whitespace-nowrap text-amber-900">
          Model latency {formatLatency(shown.latency)}
          {shown.strategy === "fixed" ? " (lab strategies only)" : " per send, cycling"}
        </span>
      ) : null}
    </div>
  );
}
