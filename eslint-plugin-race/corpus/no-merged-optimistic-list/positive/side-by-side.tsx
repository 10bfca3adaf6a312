"use client";
// Not merged into one array, but rendered as one list: the duplicate is on screen all
// the same.
import { useState } from "react";

import { api } from "../../_support/api";
import type { ChatMessage } from "../../_support/chat-store";

export function Thread({ projectId }: { projectId: string }) {
  const [sending, setSending] = useState<ChatMessage[]>([]);
  const { data: messages = [] } = api.chat.list.useQuery({ projectId });
  return (
    <ul onClick={() => setSending([])}>
      {messages.map((m) => (
        <li key={m.id}>{m.content}</li>
      ))}
      {sending.map((m) => ( // expect: race/no-merged-optimistic-list
        <li key={m.id} className="opacity-50">
          {m.content}
        </li>
      ))}
    </ul>
  );
}
