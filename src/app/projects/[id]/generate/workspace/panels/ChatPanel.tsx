"use client";

import { useEffect, useRef } from "react";

import { api, type RouterOutputs } from "~/trpc/react";

type Message = RouterOutputs["generation"]["getChatMessages"][number];

/**
 * Renders exactly one list: the server's messages. There is no local copy to merge,
 * so a slow or repeated request can never show a message twice.
 */
export function ChatPanel({ projectId }: { projectId: string }) {
  const messages = api.generation.getChatMessages.useQuery({ projectId });
  const listRef = useRef<HTMLOListElement>(null);
  const count = messages.data?.length ?? 0;

  useEffect(() => {
    const list = listRef.current;
    if (list) list.scrollTop = list.scrollHeight;
  }, [count]);

  return (
    <section
      aria-labelledby="chat-heading"
      className="flex h-[70dvh] flex-col overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm lg:sticky lg:top-6 lg:h-[calc(100dvh-10rem)]"
    >
      <h2 id="chat-heading" className="border-b border-slate-200 px-4 py-3 text-sm font-semibold">
        Chat
      </h2>

      <div className="flex min-h-0 flex-1 flex-col">
        {messages.isPending ? (
          <ChatSkeleton />
        ) : messages.isError ? (
          <div role="alert" className="m-4 rounded-lg bg-red-50 p-4 text-sm text-red-800">
            <p>Could not load the conversation: {messages.error.message}</p>
            <button
              type="button"
              onClick={() => void messages.refetch()}
              className="mt-3 rounded-md border border-red-200 bg-white px-3 py-1.5 font-medium hover:bg-red-100"
            >
              Retry
            </button>
          </div>
        ) : messages.data.length === 0 ? (
          <div className="flex flex-1 flex-col items-center justify-center px-6 text-center">
            <p className="font-medium text-slate-800">Describe your first scene…</p>
            <p className="mt-1 text-sm text-slate-600">
              For example: “A bold title card on a deep blue background that fades in.”
            </p>
          </div>
        ) : (
          <ol ref={listRef} aria-label="Messages" className="flex flex-1 flex-col gap-3 overflow-y-auto p-4">
            {messages.data.map((message) => (
              <ChatMessage key={message.id} message={message} />
            ))}
          </ol>
        )}
      </div>

      <Composer />
    </section>
  );
}

function ChatMessage({ message }: { message: Message }) {
  const isUser = message.role === "user";
  const inFlight = message.status === "pending" || message.status === "building";

  return (
    <li
      data-testid="chat-message"
      data-message-id={message.id}
      data-role={message.role}
      data-status={message.status}
      className={`flex ${isUser ? "justify-end" : "justify-start"}`}
    >
      <div
        className={`max-w-[85%] rounded-2xl px-3.5 py-2 text-sm whitespace-pre-wrap ${
          isUser ? "rounded-br-sm bg-slate-900 text-white" : "rounded-bl-sm bg-slate-100 text-slate-900"
        }`}
      >
        <span className="sr-only">{isUser ? "You: " : "Assistant: "}</span>
        {message.content}
        {inFlight && !isUser && <TypingIndicator status={message.status} />}
        {message.status === "error" && (
          <p className="mt-1 text-xs text-red-700">{message.error ?? "Generation failed."}</p>
        )}
      </div>
    </li>
  );
}

function TypingIndicator({ status }: { status: Message["status"] }) {
  return (
    <span role="status" className="flex items-center gap-1 py-1 text-xs text-slate-500">
      <span className="sr-only">{status === "building" ? "Building the scene" : "Thinking"}</span>
      {[0, 150, 300].map((delay) => (
        <span
          key={delay}
          aria-hidden
          className="size-1.5 animate-bounce rounded-full bg-slate-400"
          style={{ animationDelay: `${delay}ms` }}
        />
      ))}
    </span>
  );
}

/** Not wired yet: the generateScene mutation and its requestId arrive in the next step. */
function Composer() {
  return (
    <form
      onSubmit={(event) => event.preventDefault()}
      className="border-t border-slate-200 p-3"
    >
      <textarea
        name="prompt"
        aria-label="Prompt"
        rows={3}
        placeholder="Describe a scene…"
        className="w-full resize-none rounded-lg border border-slate-300 px-3 py-2 text-sm placeholder:text-slate-500 focus:border-slate-500"
      />
      <div className="mt-2 flex items-center justify-between gap-3">
        <p className="text-xs text-slate-500">Generation arrives in the next step</p>
        <button
          type="submit"
          data-testid="send"
          disabled
          className="rounded-lg bg-slate-900 px-4 py-2 text-sm font-medium text-white hover:bg-slate-700 disabled:cursor-not-allowed disabled:opacity-50"
        >
          Generate
        </button>
      </div>
    </form>
  );
}

function ChatSkeleton() {
  return (
    <div aria-busy="true" aria-label="Loading messages" className="flex flex-col gap-3 p-4">
      <div className="h-9 w-2/3 self-end animate-pulse rounded-2xl bg-slate-200" />
      <div className="h-14 w-3/4 animate-pulse rounded-2xl bg-slate-100" />
      <div className="h-9 w-1/2 self-end animate-pulse rounded-2xl bg-slate-200" />
    </div>
  );
}
