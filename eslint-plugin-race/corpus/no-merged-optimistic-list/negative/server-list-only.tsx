"use client";
// The fix: render only the query's data.
import { api } from "../../_support/api";

export function ChatPanel({ projectId }: { projectId: string }) {
  const { data: messages = [] } = api.chat.list.useQuery({ projectId }, { refetchInterval: 1000 });
  return <ul>{messages.map((m) => <li key={m.id}>{m.content}</li>)}</ul>;
}
