"use client";
// The store fed through `getState()` in an effect; the send handler adds to it.
import { useEffect } from "react";

import { api } from "../../_support/api";
import { useChatStore } from "../../_support/chat-store";

export function useChatSync(projectId: string) {
  const query = api.chat.list.useQuery({ projectId });
  useEffect(() => {
    useChatStore.getState().setMessages(query.data ?? []); // expect: race/no-mirrored-server-state
  }, [query.data]);
  return (content: string) => useChatStore.getState().addMessage({ id: "tmp", role: "user", content, pending: true });
}
