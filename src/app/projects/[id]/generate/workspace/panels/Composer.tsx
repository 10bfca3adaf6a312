"use client";

import { useIsMutating } from "@tanstack/react-query";
import { getMutationKey } from "@trpc/react-query";
import { createContext, useContext, useId, useRef, useState, type KeyboardEvent } from "react";

import { strategyLabels, type WelcomeResetStrategy } from "~/lib/lab";
import { mintRequestId } from "~/lib/request-id";
import { api } from "~/trpc/react";

/**
 * Race Lab: the model latency (ms) of this tab's successive lab sends, cycling, from the
 * workspace's `?latency=300,2300`. It lets a test (or a human) force which of two requests
 * applies first. Ignored by the fixed app, whose procedure takes no latency.
 */
export const LabLatencyContext = createContext<readonly number[] | undefined>(undefined);

/** Called as a prompt is sent; a returned function runs when that send settles. */
export type OnSend = (prompt: string) => (() => void) | undefined;

interface ComposerProps {
  projectId: string;
  /** Race Lab: send through lab.generateScene with this welcome-reset strategy (no requestId). */
  labStrategy?: WelcomeResetStrategy;
  onSend?: OnSend;
}

export function Composer({ projectId, labStrategy, onSend }: ComposerProps) {
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  // One requestId per composed message: resending the same text (a double-click, a retry
  // after a network error) reuses it, so the server runs the exchange at most once.
  const draft = useRef<{ prompt: string; requestId: string } | null>(null);
  const sync = useGenerationCacheSync(projectId);
  const latencies = useContext(LabLatencyContext);
  const labSends = useRef(0);
  const hintId = useId();
  const errorId = useId();

  const callbacks = {
    onMutate: ({ prompt }: { prompt: string }) => {
      sync.sent();
      return { settle: onSend?.(prompt) };
    },
    onError: (failure: SendFailure) => setError(readableError(failure)),
    onSettled: (_data: unknown, _error: unknown, _variables: unknown, sent?: { settle?: () => void }) => {
      sent?.settle?.();
      return sync.settled();
    },
  };
  const clearIfUnchanged = (prompt: string) => setText((current) => (current.trim() === prompt ? "" : current));

  const generation = api.generation.generateScene.useMutation({
    ...callbacks,
    onSuccess: ({ inFlight }, { prompt, requestId }) => {
      // Our own double-click: the server answers the repeat "in flight" (not an error) and
      // the first send, still running, settles the draft. Keep the text and its requestId
      // until then, so a retry after that send fails reuses them.
      if (inFlight) return;
      if (draft.current?.requestId === requestId) draft.current = null;
      clearIfUnchanged(prompt);
    },
  });
  const lab = api.lab.generateScene.useMutation({
    ...callbacks,
    onSuccess: (_data, { prompt }) => clearIfUnchanged(prompt),
  });
  const sending = useSendInFlight();

  function requestIdFor(prompt: string) {
    if (draft.current?.prompt !== prompt) draft.current = { prompt, requestId: mintRequestId() };
    return draft.current.requestId;
  }

  function nextLabLatency() {
    if (!latencies?.length) return undefined;
    return latencies[labSends.current++ % latencies.length];
  }

  // No client-side validation beyond "not empty" (the button's rule): the server is the
  // guard, and its BAD_REQUEST comes back as the error below with the text kept for a retry.
  function send() {
    const prompt = text.trim();
    if (prompt === "") return;
    setError(null);
    if (labStrategy) lab.mutate({ projectId, prompt, strategy: labStrategy, latencyMs: nextLabLatency() });
    else generation.mutate({ projectId, prompt, requestId: requestIdFor(prompt) });
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key !== "Enter" || event.shiftKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    send();
  }

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
      className="border-t border-slate-200 p-3"
    >
      <textarea
        name="prompt"
        aria-label="Prompt"
        aria-describedby={error ? `${hintId} ${errorId}` : hintId}
        aria-invalid={error ? true : undefined}
        rows={3}
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
        placeholder="Describe a scene…"
        className="w-full resize-none rounded-lg border border-slate-300 px-3 py-2 text-sm placeholder:text-slate-500 focus:border-slate-500"
      />
      {error && (
        <p id={errorId} role="alert" data-testid="composer-error" className="mt-1 text-sm text-red-700">
          Could not send: {error}
        </p>
      )}
      <div className="mt-2 flex items-center justify-between gap-3">
        <p id={hintId} className="text-xs text-slate-500" aria-live="polite">
          {sending
            ? "Generating…"
            : labStrategy
              ? `Race Lab · ${strategyLabels[labStrategy].label}${latencies?.length ? ` · model latency ${latencies.join(" → ")} ms` : ""}`
              : "Enter to send · Shift+Enter for a new line"}
        </p>
        {/* Deliberately not disabled while sending: a double-click must reach the server
            twice so the lab can show what the requestId (fixed) or its absence (lab) does. */}
        <button
          type="submit"
          data-testid="send"
          disabled={text.trim() === ""}
          aria-busy={sending}
          className="rounded-lg bg-slate-900 px-4 py-2 text-sm font-medium text-white hover:bg-slate-700 disabled:cursor-not-allowed disabled:opacity-50"
        >
          Generate
        </button>
      </div>
    </form>
  );
}

interface SendFailure {
  message: string;
  data?: { zodError?: { formErrors: string[]; fieldErrors: Record<string, string[] | undefined> } | null } | null;
}

/** A validation failure's own words ("A prompt can be at most 2000 characters"), else the message. */
function readableError(failure: SendFailure): string {
  const zod = failure.data?.zodError;
  const fromZod = zod ? [...Object.values(zod.fieldErrors).flat(), ...zod.formErrors].find(Boolean) : undefined;
  return fromZod ?? failure.message;
}

/** The chat and scenes refetch from the server after a send; nothing is written into the cache by hand. */
export function useGenerationCacheSync(projectId: string) {
  const utils = api.useUtils();
  return {
    // The claim commits within milliseconds, so the user's message shows up from the server.
    sent: () => void utils.generation.getChatMessages.invalidate({ projectId }),
    settled: () =>
      Promise.all([
        utils.generation.getChatMessages.invalidate({ projectId }),
        utils.generation.getProjectScenes.invalidate({ projectId }),
        utils.project.get.invalidate({ projectId }),
      ]),
  };
}

/** True while any generation request (fixed or lab) from this tab is in flight. */
export function useSendInFlight() {
  const fixed = useIsMutating({ mutationKey: getMutationKey(api.generation.generateScene) });
  const lab = useIsMutating({ mutationKey: getMutationKey(api.lab.generateScene) });
  return fixed + lab > 0;
}
