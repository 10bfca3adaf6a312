"use client";
// Real apps merge through a store: the query feeds `setMessages`, the composer calls
// `addMessage` with a temporary message. Two sources of truth, one store.
import { useEffect } from "react";

import { api } from "../../_support/api";
import { useChatStore } from "../../_support/chat-store";

export function ChatPanel({ projectId }: { projectId: string }) {
  const { messages, setMessages, addMessage } = useChatStore();
  const { data } = api.chat.list.useQuery({ projectId });
  const send = api.chat.send.useMutation({
    onMutate: ({ content }) => addMessage({ id: `tmp-${Date.now()}`, role: "user", content, pending: true }),
  });

  useEffect(() => {
    if (data) setMessages(data); // expect: race/no-mirrored-server-state
  }, [data, setMessages]);

  return (
    <section>
      <ul>{messages.map((m) => <li key={m.id}>{m.content}</li>)}</ul>
      <button onClick={() => send.mutate({ projectId, content: "Hello" })}>Send</button>
    </section>
  );
}
