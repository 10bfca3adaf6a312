"use client";
// The query's data copied into state by an effect, and optimistic messages appended to
// that state: the list has two writers. The server's copy arrives with the next poll
// and is copied in beside the optimistic one, or replaces it before it was saved.
import { useEffect, useState } from "react";

import { api } from "../../_support/api";
import type { ChatMessage } from "../../_support/chat-store";

export function ChatPanel({ projectId }: { projectId: string }) {
  const { data } = api.chat.list.useQuery({ projectId }, { refetchInterval: 1000 });
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const send = api.chat.send.useMutation();

  useEffect(() => {
    if (data) setMessages(data); // expect: race/no-mirrored-server-state
  }, [data]);

  const onSend = (content: string) => {
    setMessages((list) => [...list, { id: crypto.randomUUID(), role: "user", content, pending: true }]);
    send.mutate({ projectId, content });
  };

  return (
    <section>
      <ul>{messages.map((m) => <li key={m.id}>{m.content}</li>)}</ul>
      <button onClick={() => onSend("Hello")}>Send</button>
    </section>
  );
}
