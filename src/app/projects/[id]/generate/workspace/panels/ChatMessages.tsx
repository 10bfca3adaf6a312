"use client";

import { useEffect, useRef, type ReactNode } from "react";

import { isUnfinished, type ChatMessageView, type Message } from "./chat-queries";

export function ChatFrame({ title, composer, children }: { title: ReactNode; composer: ReactNode; children: ReactNode }) {
  return (
    <section
      aria-labelledby="chat-heading"
      className="flex h-[70dvh] flex-col overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm lg:sticky lg:top-6 lg:h-[calc(100dvh-10rem)]"
    >
      <h2 id="chat-heading" className="border-b border-slate-200 px-4 py-3 text-sm font-semibold">
        {title}
      </h2>
      <div className="flex min-h-0 flex-1 flex-col">{children}</div>
      {composer}
    </section>
  );
}

export function MessageList({ messages, children }: { messages: ChatMessageView[]; children: ReactNode }) {
  const listRef = useRef<HTMLOListElement>(null);
  const last = messages.at(-1);
  const scrollKey = `${messages.length}:${last?.id}:${last?.status}`;

  useEffect(() => {
    const list = listRef.current;
    if (list) list.scrollTop = list.scrollHeight;
  }, [scrollKey]);

  return (
    <ol ref={listRef} aria-label="Messages" className="flex flex-1 flex-col gap-3 overflow-y-auto p-4">
      {children}
    </ol>
  );
}

export function ChatMessage({
  message,
  isLatest,
  optimistic,
  children,
}: {
  message: ChatMessageView;
  isLatest: boolean;
  optimistic?: boolean;
  children?: ReactNode;
}) {
  const isUser = message.role === "user";
  const failed = message.status === "error";

  return (
    <li
      data-testid="chat-message"
      data-message-id={message.id}
      data-role={message.role}
      data-status={message.status}
      data-optimistic={optimistic ? "true" : undefined}
      className={`flex ${isUser ? "justify-end" : "justify-start"}`}
    >
      <div
        className={`max-w-[85%] rounded-2xl px-3.5 py-2 text-sm whitespace-pre-wrap ${
          isUser
            ? "rounded-br-sm bg-slate-900 text-white"
            : failed
              ? "rounded-bl-sm border border-red-200 bg-red-50 text-red-800"
              : "rounded-bl-sm bg-slate-100 text-slate-900"
        }`}
      >
        <span className="sr-only">{isUser ? "You: " : "Assistant: "}</span>
        {failed ? (message.error ?? (message.content || "Generation failed.")) : message.content}
        {!isUser && isUnfinished(message) && <TypingIndicator status={message.status} latest={isLatest} />}
        {children}
      </div>
    </li>
  );
}

function TypingIndicator({ status, latest }: { status: Message["status"]; latest: boolean }) {
  return (
    <span
      role="status"
      data-testid={latest ? "typing-indicator" : undefined}
      className="flex items-center gap-1 py-1 text-xs text-slate-500"
    >
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

export function EmptyChat() {
  return (
    <div className="flex flex-1 flex-col items-center justify-center px-6 text-center">
      <p className="font-medium text-slate-800">Describe your first scene…</p>
      <p className="mt-1 text-sm text-slate-600">
        For example: “A bold title card on a deep blue background that fades in.”
      </p>
    </div>
  );
}

export function ChatSkeleton() {
  return (
    <div aria-busy="true" aria-label="Loading messages" className="flex flex-col gap-3 p-4">
      <div className="h-9 w-2/3 self-end animate-pulse rounded-2xl bg-slate-200" />
      <div className="h-14 w-3/4 animate-pulse rounded-2xl bg-slate-100" />
      <div className="h-9 w-1/2 self-end animate-pulse rounded-2xl bg-slate-200" />
    </div>
  );
}
