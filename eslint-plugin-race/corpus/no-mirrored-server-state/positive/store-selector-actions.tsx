"use client";
// Actions picked with selectors, as Zustand's docs recommend: the same two writers.
import { useEffect } from "react";

import { api } from "../../_support/api";
import { useChatStore } from "../../_support/chat-store";

export function ChatMessages({ projectId }: { projectId: string }) {
  const messages = useChatStore((state) => state.messages);
  const setMessages = useChatStore((state) => state.setMessages);
  const addMessage = useChatStore((state) => state.addMessage);
  const { data: serverMessages } = api.chat.list.useQuery({ projectId });

  useEffect(() => {
    setMessages(serverMessages?.map((m) => ({ ...m, pending: false })) ?? []); // expect: race/no-mirrored-server-state
  }, [serverMessages, setMessages]);

  return (
    <ul onClick={() => addMessage({ id: "tmp", role: "assistant", content: "Thinking…", pending: true })}>
      {messages.map((m) => (
        <li key={m.id}>{m.content}</li>
      ))}
    </ul>
  );
}
