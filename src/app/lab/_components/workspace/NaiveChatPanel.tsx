"use client";

/**
 * ❌ BROKEN ON PURPOSE (Race Lab): the chat panel from the design note
 * (race-conditions-explained.md §3, "Message State Race Condition"). It keeps a second,
 * optimistic list in local state and renders it concatenated with the server's list.
 * The server commits the user's message within milliseconds and polling shows it, while
 * the optimistic copy stays until the mutation settles: the message appears twice.
 * Do not copy. The fix is src/app/projects/[id]/generate/workspace/panels/ChatPanel.tsx
 * (one list: the server's).
 */
import { useRef, useState } from "react";

import {
  ChatFrame,
  ChatMessage,
  ChatSkeleton,
  EmptyChat,
  MessageList,
} from "~/app/projects/[id]/generate/workspace/panels/ChatMessages";
import {
  latestAssistant,
  useChatMessages,
  type ChatMessageView,
} from "~/app/projects/[id]/generate/workspace/panels/chat-queries";
import { LabComposer, type OnSend } from "./LabComposer";
import type { LabSettings } from "./settings";

export function NaiveChatPanel({ projectId, settings }: { projectId: string; settings: LabSettings }) {
  // ❌ RACE CONDITION: two sources of truth for the same messages.
  const [optimisticMessages, setOptimisticMessages] = useState<ChatMessageView[]>([]);
  const { data: serverMessages = [], isPending } = useChatMessages(projectId);
  const nextId = useRef(0);

  const onSend: OnSend = (prompt) => {
    const ids = [`optimistic-${++nextId.current}`, `optimistic-${++nextId.current}`];
    setOptimisticMessages((current) => [
      ...current,
      { id: ids[0] ?? "", role: "user", status: "pending", content: prompt, error: null },
      { id: ids[1] ?? "", role: "assistant", status: "pending", content: "Generating…", error: null },
    ]);
    // Removed only when the request settles, long after the server's copy is on screen.
    return () => setOptimisticMessages((current) => current.filter((message) => !ids.includes(message.id)));
  };

  const messages = [...serverMessages, ...optimisticMessages];
  const latestAssistantId = latestAssistant(messages)?.id;

  return (
    <ChatFrame
      title={
        <>
          Chat <span className="font-normal text-red-700">(naive: broken on purpose)</span>
        </>
      }
      composer={<LabComposer projectId={projectId} strategy={settings.strategy} latencies={settings.latency} onSend={onSend} />}
    >
      {isPending ? (
        <ChatSkeleton />
      ) : messages.length === 0 ? (
        <EmptyChat />
      ) : (
        <MessageList messages={messages}>
          {messages.map((message) => (
            <ChatMessage
              key={message.id}
              message={message}
              isLatest={message.id === latestAssistantId}
              optimistic={message.id.startsWith("optimistic-")}
            />
          ))}
        </MessageList>
      )}
    </ChatFrame>
  );
}
