"use client";
// The design note's chat panel: an optimistic list in state, rendered merged with the
// server's. The server's copy arrives with the next poll while the local one is still
// there: the message shows twice.
import { useState } from "react";

import { api } from "../../_support/api";
import type { ChatMessage } from "../../_support/chat-store";

export function ChatPanel({ projectId }: { projectId: string }) {
  const [optimistic, setOptimistic] = useState<ChatMessage[]>([]);
  const { data: serverMessages = [] } = api.chat.list.useQuery({ projectId }, { refetchInterval: 1000 });
  const send = api.chat.send.useMutation({ onSettled: () => setOptimistic([]) });
  const messages = [...serverMessages, ...optimistic]; // expect: race/no-merged-optimistic-list

  return (
    <section>
      <ul>{messages.map((m) => <li key={m.id}>{m.content}</li>)}</ul>
      <button
        onClick={() => {
          setOptimistic((list) => [...list, { id: `tmp-${list.length}`, role: "user", content: "Hi", pending: true }]);
          send.mutate({ projectId, content: "Hi" });
        }}
      >
        Send
      </button>
    </section>
  );
}
