"use client";

import { useRef, useState } from "react";

import { mintRequestId } from "~/lib/request-id";
import { api } from "~/trpc/react";
import { promptSendMeta, useGenerationCacheSync, useSendInFlight } from "./chat-queries";
import { PromptForm, readableError } from "./PromptForm";

/**
 * Sends a prompt as `generation.generateScene` with one requestId per composed message and
 * writes nothing into the cache: the chat shows the server's list, refetched after sending.
 */
export function Composer({ projectId }: { projectId: string }) {
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const requestIds = useRequestIdPerDraft();
  const sync = useGenerationCacheSync(projectId);
  const sending = useSendInFlight();

  const generation = api.generation.generateScene.useMutation({
    meta: promptSendMeta,
    onMutate: sync.sent,
    onError: (failure) => setError(readableError(failure)),
    onSettled: sync.settled,
    onSuccess: ({ inFlight }, { prompt, requestId }) => {
      // Our own double-click: the server answers the repeat "in flight" (not an error) and
      // the first send, still running, settles the draft. Keep the text and its requestId
      // until then, so a retry after that send fails reuses them.
      if (inFlight) return;
      requestIds.sent(requestId);
      setText((current) => (current.trim() === prompt ? "" : current));
    },
  });

  // No client-side validation beyond "not empty": the server is the guard, and its
  // BAD_REQUEST comes back as the error below with the text kept for a retry.
  function send() {
    const prompt = text.trim();
    setError(null);
    generation.mutate({ projectId, prompt, requestId: requestIds.for(prompt) });
  }

  return (
    <PromptForm
      text={text}
      onTextChange={setText}
      onSubmit={send}
      error={error}
      sending={sending}
      hint="Enter to send · Shift+Enter for a new line"
    />
  );
}

/**
 * One requestId per composed message: sending the same text again (a double-click, a retry
 * after a network error) reuses it, so the server runs the exchange at most once.
 */
export function useRequestIdPerDraft() {
  const draft = useRef<{ prompt: string; requestId: string } | null>(null);
  return {
    for(prompt: string) {
      if (draft.current?.prompt !== prompt) draft.current = { prompt, requestId: mintRequestId() };
      return draft.current.requestId;
    },
    /** The draft's exchange finished: the next send, even of the same text, is a new one. */
    sent(requestId: string) {
      if (draft.current?.requestId === requestId) draft.current = null;
    },
  };
}
