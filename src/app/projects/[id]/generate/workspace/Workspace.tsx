"use client";

import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useOptimistic, useTransition } from "react";

import {
  chatPanelVariants,
  strategyLabels,
  welcomeResetStrategyNames,
  type ChatPanelVariant,
  type WelcomeResetStrategy,
} from "~/lib/lab";
import type { RouterOutputs } from "~/trpc/react";
import { NaiveChatPanel } from "./lab/NaiveChatPanel";
import { ChatPanel } from "./panels/ChatPanel";
import { LabLatencyContext } from "./panels/Composer";
import { ScenesPanel } from "./panels/ScenesPanel";

type Project = RouterOutputs["project"]["get"];

/** Race Lab choices, read from `?strategy=…&chat=…&latency=…` by the page; "fixed" everywhere when the lab is off. */
export interface LabSettings {
  strategy: "fixed" | WelcomeResetStrategy;
  chat: ChatPanelVariant;
  /** Model latency (ms) of this tab's successive lab sends, cycling; lab strategies only. */
  latency?: number[];
}

const formatLatency = (latency: readonly number[]) => `${latency.join(" → ")} ms`;

export function Workspace({ project, labEnabled, lab }: { project: Project; labEnabled: boolean; lab: LabSettings }) {
  const labStrategy = lab.strategy === "fixed" ? undefined : lab.strategy;
  const Chat = lab.chat === "naive" ? NaiveChatPanel : ChatPanel;

  return (
    <div className="mx-auto flex w-full max-w-7xl flex-1 flex-col px-4 py-6 sm:px-6">
      <div className="flex flex-wrap items-center gap-3">
        <Link
          href="/"
          className="rounded-md px-2 py-1 text-sm text-slate-600 hover:bg-slate-100 hover:text-slate-900"
        >
          <span aria-hidden>←</span> All projects
        </Link>
        <h1 className="min-w-0 flex-1 truncate text-xl font-semibold tracking-tight" data-testid="project-title">
          {project.title}
        </h1>
        {labEnabled && <LabSwitcher settings={lab} />}
      </div>

      {labEnabled && <BrokenVariantBanner settings={lab} />}

      <div className="mt-6 grid flex-1 items-start gap-6 lg:grid-cols-[380px_minmax(0,1fr)]">
        <LabLatencyContext value={labStrategy ? lab.latency : undefined}>
          <Chat key={lab.chat} projectId={project.id} labStrategy={labStrategy} />
        </LabLatencyContext>
        <ScenesPanel projectId={project.id} />
      </div>
    </div>
  );
}

const chatLabels: Record<ChatPanelVariant, string> = {
  fixed: "Fixed (server list only)",
  naive: "Naive: optimistic + server list (broken)",
};

function LabSwitcher({ settings }: { settings: LabSettings }) {
  const router = useRouter();
  const pathname = usePathname();
  const [pending, startTransition] = useTransition();
  // The URL stays the source of truth; this only shows the new choice until the page re-renders.
  const [shown, show] = useOptimistic(settings);

  function choose(patch: Partial<LabSettings>) {
    const next = { ...shown, ...patch };
    const query = new URLSearchParams();
    if (next.strategy !== "fixed") query.set("strategy", next.strategy);
    if (next.chat !== "fixed") query.set("chat", next.chat);
    if (next.latency?.length) query.set("latency", next.latency.join(","));
    const search = query.toString();
    startTransition(() => {
      show(next);
      router.replace(search ? `${pathname}?${search}` : pathname, { scroll: false });
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

function BrokenVariantBanner({ settings }: { settings: LabSettings }) {
  const problems: string[] = [];
  if (settings.strategy !== "fixed" && strategyLabels[settings.strategy].broken) {
    const { label, summary } = strategyLabels[settings.strategy];
    problems.push(
      `the welcome reset uses “${label}”: it ${summary}, so a double-click or a second tab can delete a scene you generated`,
    );
  }
  if (settings.chat === "naive") {
    problems.push(
      "the chat panel renders an optimistic copy next to the server's list, so your message shows twice while a scene is generating",
    );
  }
  if (problems.length === 0) return null;
  const latency = settings.strategy !== "fixed" && settings.latency?.length ? settings.latency : undefined;

  return (
    <div
      role="note"
      data-testid="lab-banner"
      className="mt-4 rounded-lg border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-900"
    >
      <p>
        <strong className="font-semibold">Race Lab: broken variant active</strong> — {problems.join("; and ")}.
        These are the bugs the app exists to fix; pick “Fixed” above to compare.
      </p>
      {latency && (
        <p className="mt-1">
          Controlled latency: this tab&apos;s sends wait {formatLatency(latency)} for the model, in turn, so a
          double-click applies the first request well before the second.
        </p>
      )}
    </div>
  );
}
