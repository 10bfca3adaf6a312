"use client";

import type { ReactNode } from "react";

import { api } from "~/trpc/react";
import { ChatFrame, ChatMessage, ChatSkeleton, EmptyChat, MessageList } from "./ChatMessages";
import { latestAssistant, promptSendMeta, useChatMessages, useGenerationCacheSync, type Message } from "./chat-queries";
import { Composer } from "./Composer";

/**
 * Renders exactly one list: the server's messages. There is no local copy to merge,
 * so a slow or repeated request can never show a message twice. `composer` is what sends
 * prompts (by default the app's Composer).
 */
export function ChatPanel({ projectId, composer }: { projectId: string; composer?: ReactNode }) {
  const messages = useChatMessages(projectId);
  const latestAssistantId = latestAssistant(messages.data)?.id;

  return (
    <ChatFrame title="Chat" composer={composer ?? <Composer projectId={projectId} />}>
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
        <EmptyChat />
      ) : (
        <MessageList messages={messages.data}>
          {messages.data.map((message) => (
            <ChatMessage key={message.id} message={message} isLatest={message.id === latestAssistantId}>
              {message.role === "assistant" && message.status === "error" && (
                <RetryButton
                  projectId={projectId}
                  request={messages.data.find((candidate) => candidate.id === message.replyToId)}
                />
              )}
            </ChatMessage>
          ))}
        </MessageList>
      )}
    </ChatFrame>
  );
}

/** Re-sends the original prompt under the exchange's original requestId: the server re-runs it in place. */
function RetryButton({ projectId, request }: { projectId: string; request?: Message }) {
  const sync = useGenerationCacheSync(projectId);
  const retry = api.generation.generateScene.useMutation({ meta: promptSendMeta, onMutate: sync.sent, onSettled: sync.settled });
  if (!request?.requestId) return null;
  const { requestId, content: prompt } = request;

  return (
    <div className="mt-2 flex flex-wrap items-center gap-2">
      <button
        type="button"
        data-testid="retry"
        disabled={retry.isPending}
        onClick={() => retry.mutate({ projectId, prompt, requestId })}
        className="rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs font-medium text-slate-800 hover:bg-slate-50 disabled:opacity-50"
      >
        Retry
      </button>
      {retry.error && (
        <span role="alert" className="text-xs text-red-700">
          Could not retry: {retry.error.message}
        </span>
      )}
    </div>
  );
}

