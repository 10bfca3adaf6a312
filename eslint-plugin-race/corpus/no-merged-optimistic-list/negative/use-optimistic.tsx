"use client";
// React 19's useOptimistic derives from the server's list instead of sitting beside it.
import { useOptimistic } from "react";

import { api } from "../../_support/api";
import type { ChatMessage } from "../../_support/chat-store";

export function ChatPanel({ projectId }: { projectId: string }) {
  const { data: serverMessages = [] } = api.chat.list.useQuery({ projectId });
  const [messages, addOptimistic] = useOptimistic(serverMessages, (list: ChatMessage[], m: ChatMessage) => [...list, m]);
  return (
    <ul onClick={() => addOptimistic({ id: "tmp", role: "user", content: "…", pending: true })}>
      {[...messages].map((m) => (
        <li key={m.id}>{m.content}</li>
      ))}
    </ul>
  );
}
