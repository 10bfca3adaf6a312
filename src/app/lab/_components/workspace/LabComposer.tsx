"use client";

import { useRef, useState } from "react";

import { useRequestIdPerDraft } from "~/app/projects/[id]/generate/workspace/panels/Composer";
import {
  promptSendMeta,
  useGenerationCacheSync,
  useSendInFlight,
} from "~/app/projects/[id]/generate/workspace/panels/chat-queries";
import { PromptForm, readableError } from "~/app/projects/[id]/generate/workspace/panels/PromptForm";
import { strategyLabels } from "~/lib/lab";
import { api } from "~/trpc/react";
import { formatLatency, type LabSettings } from "./settings";

/** Called as a prompt is sent; a returned function runs when that send settles. */
export type OnSend = (prompt: string) => (() => void) | undefined;

interface LabComposerProps {
  projectId: string;
  /** A lab strategy sends through `lab.generateScene` (no requestId); "fixed" through the app's procedure. */
  strategy: LabSettings["strategy"];
  /** This tab's successive lab sends wait this long for the model, in turn (`?latency=`). */
  latencies?: readonly number[];
  /** The naive chat panel's hook for its optimistic copy. */
  onSend?: OnSend;
}

/** The Race Lab's composer: the app's prompt form, sent the way the lab's settings say. */
export function LabComposer({ projectId, strategy, latencies, onSend }: LabComposerProps) {
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const requestIds = useRequestIdPerDraft();
  const sync = useGenerationCacheSync(projectId);
  const sending = useSendInFlight();
  const labSends = useRef(0);

  const callbacks = {
    meta: promptSendMeta,
    onMutate: ({ prompt }: { prompt: string }) => {
      sync.sent();
      return { settle: onSend?.(prompt) };
    },
    onError: (failure: Parameters<typeof readableError>[0]) => setError(readableError(failure)),
    onSettled: (_data: unknown, _error: unknown, _variables: unknown, sent?: { settle?: () => void }) => {
      sent?.settle?.();
      return sync.settled();
    },
  };
  const clearIfUnchanged = (prompt: string) => setText((current) => (current.trim() === prompt ? "" : current));
  const app = api.generation.generateScene.useMutation({
    ...callbacks,
    onSuccess: ({ inFlight }, { prompt, requestId }) => {
      if (inFlight) return;
      requestIds.sent(requestId);
      clearIfUnchanged(prompt);
    },
  });
  const lab = api.lab.generateScene.useMutation({ ...callbacks, onSuccess: (_data, { prompt }) => clearIfUnchanged(prompt) });

  function send() {
    const prompt = text.trim();
    setError(null);
    if (strategy === "fixed") {
      app.mutate({ projectId, prompt, requestId: requestIds.for(prompt) });
      return;
    }
    const latencyMs = latencies?.length ? latencies[labSends.current++ % latencies.length] : undefined;
    lab.mutate({ projectId, prompt, strategy, latencyMs });
  }

  const hint =
    strategy === "fixed"
      ? "Enter to send · Shift+Enter for a new line"
      : `Race Lab · ${strategyLabels[strategy].label}${latencies?.length ? ` · model latency ${formatLatency(latencies)}` : ""}`;
  return <PromptForm text={text} onTextChange={setText} onSubmit={send} error={error} sending={sending} hint={hint} />;
}
