"use client";

import { useRouter } from "next/navigation";

import { mintRequestId } from "~/lib/request-id";
import { api } from "~/trpc/react";
import { labWorkspaceHref, type LabSettings } from "./workspace/settings";

/**
 * The chat-state race lives in the browser, so the server cannot run it: this explains
 * it, draws the two panels' copies of one message over time (an illustration with the
 * default model latency, not a measurement), and opens a new project with either panel.
 */
const TOTAL_MS = 1600;
const MESSAGE_COMMITTED_MS = 30;
const SERVER_LIST_SHOWN_MS = 90;
const REPLY_DONE_MS = 1300;

interface Segment {
  fromMs: number;
  toMs: number;
  copies: number;
  text: string;
}

const panels: { name: string; variant: "naive" | "fixed"; segments: Segment[] }[] = [
  {
    name: "Naive panel (optimistic list + server list)",
    variant: "naive",
    segments: [
      { fromMs: 0, toMs: SERVER_LIST_SHOWN_MS, copies: 1, text: "optimistic copy" },
      { fromMs: SERVER_LIST_SHOWN_MS, toMs: REPLY_DONE_MS, copies: 2, text: "optimistic copy + server copy" },
      { fromMs: REPLY_DONE_MS, toMs: TOTAL_MS, copies: 1, text: "server copy" },
    ],
  },
  {
    name: "Fixed panel (the server's list only)",
    variant: "fixed",
    segments: [
      { fromMs: 0, toMs: SERVER_LIST_SHOWN_MS, copies: 0, text: "sending" },
      { fromMs: SERVER_LIST_SHOWN_MS, toMs: TOTAL_MS, copies: 1, text: "server copy" },
    ],
  },
];

const events = [
  { atMs: 0, text: "you press Send" },
  { atMs: MESSAGE_COMMITTED_MS, text: "the server commits your message (claim)" },
  { atMs: SERVER_LIST_SHOWN_MS, text: "the chat query refetches and shows it" },
  { atMs: REPLY_DONE_MS, text: "the reply is done; the mutation settles" },
];

const pct = (ms: number) => `${(ms / TOTAL_MS) * 100}%`;

export function ChatStateScenario() {
  const router = useRouter();
  const createProject = api.project.create.useMutation();

  function open(settings: Pick<LabSettings, "chat"> & Partial<LabSettings>) {
    createProject.mutate(
      { title: `Race Lab · chat ${settings.chat}`, requestId: mintRequestId() },
      { onSuccess: (project) => router.push(labWorkspaceHref(project.id, settings)) },
    );
  }

  return (
    <section aria-labelledby="chat-state-title" data-testid="chat-state" className="grid gap-6 lg:grid-cols-2">
      <div className="flex min-w-0 flex-col gap-3 rounded-xl border border-slate-200 bg-white p-4 text-sm shadow-sm sm:p-5">
        <h2 id="chat-state-title" className="text-lg font-semibold tracking-tight">
          Chat message state: two lists, one message shown twice
        </h2>
        <p className="text-slate-700">
          The naive chat panel appends your message to a local, optimistic list and also renders the server&apos;s
          list. The server commits the message within milliseconds and the next fetch shows it, while the optimistic
          copy stays until the request settles, seconds later: the message is on screen twice. The fix renders one
          list, the server&apos;s, and refetches after sending.
        </p>
        <p className="text-slate-700">
          This race happens in the browser, so it cannot run on the server. Open a new project with either panel and
          send a prompt (the e2e test <code className="font-mono text-xs">e2e/chat-duplicates.spec.ts</code> counts
          the copies with a MutationObserver: 2 in the naive panel, 1 in the fixed one).
        </p>
        <div className="flex flex-wrap gap-2">
          <button
            type="button"
            data-testid="open-naive-chat"
            onClick={() => open({ strategy: "locked", chat: "naive" })}
            disabled={createProject.isPending}
            className="rounded-lg border border-red-700 bg-white px-3 py-2 font-medium text-red-800 hover:bg-red-50 disabled:opacity-60"
          >
            New project, naive chat
          </button>
          <button
            type="button"
            data-testid="open-fixed-chat"
            onClick={() => open({ chat: "fixed" })}
            disabled={createProject.isPending}
            className="rounded-lg bg-slate-900 px-3 py-2 font-medium text-white hover:bg-slate-700 disabled:opacity-60"
          >
            New project, fixed chat
          </button>
        </div>
        {createProject.error && (
          <p role="alert" className="text-red-800">
            Could not create the project: {createProject.error.message}
          </p>
        )}
      </div>

      <figure
        className="min-w-0 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5"
        data-testid="chat-illustration"
      >
        <figcaption className="text-sm font-semibold text-slate-900">
          Copies of your message on screen{" "}
          <span className="font-normal text-slate-600">(illustration, 1.2 s model latency)</span>
        </figcaption>
        {panels.map((panel) => (
          <div key={panel.variant} className="mt-3">
            <p className="text-xs font-medium text-slate-700">{panel.name}</p>
            <ol className="relative mt-1 h-7 rounded-md border border-slate-200 bg-slate-50">
              {panel.segments.map((segment) => (
                <li
                  key={segment.fromMs}
                  className={`absolute inset-y-0 flex items-center justify-center overflow-hidden border-r border-white text-[11px] font-semibold whitespace-nowrap ${
                    segment.copies > 1
                      ? "bg-red-700 text-white"
                      : segment.copies === 1
                        ? "bg-emerald-700 text-white"
                        : "bg-slate-100 text-slate-700"
                  }`}
                  style={{ left: pct(segment.fromMs), width: pct(segment.toMs - segment.fromMs) }}
                >
                  <span className="sr-only">
                    From {segment.fromMs} to {segment.toMs} ms: {segment.copies} {segment.copies === 1 ? "copy" : "copies"}{" "}
                    ({segment.text})
                  </span>
                  <span aria-hidden>{segment.toMs - segment.fromMs > 200 ? `${segment.copies} × · ${segment.text}` : segment.copies}</span>
                </li>
              ))}
            </ol>
          </div>
        ))}
        <ol className="mt-4 space-y-1 text-xs text-slate-700">
          {events.map((event) => (
            <li key={event.atMs} className="flex gap-2">
              <span className="w-14 shrink-0 text-right text-slate-600 tabular-nums">{event.atMs} ms</span>
              <span>{event.text}</span>
            </li>
          ))}
        </ol>
      </figure>
    </section>
  );
}
