"use client";
// A store fed only from the query: a cache for other components, with one writer.
import { useEffect } from "react";

import { api } from "../../_support/api";
import { useChatStore } from "../../_support/chat-store";

export function ChatSync({ projectId }: { projectId: string }) {
  const setMessages = useChatStore((state) => state.setMessages);
  const { data } = api.chat.list.useQuery({ projectId });
  useEffect(() => {
    if (data) setMessages(data);
  }, [data, setMessages]);
  return null;
}
