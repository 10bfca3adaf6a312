import { api, type RouterOutputs } from "~/trpc/react";
import { useSendInFlight } from "./Composer";

export type Message = RouterOutputs["generation"]["getChatMessages"][number];
export type ChatMessageView = Pick<Message, "id" | "role" | "status" | "content" | "error">;

export const CHAT_POLL_MS = 400;

export const isUnfinished = (message: Pick<Message, "status">) =>
  message.status === "pending" || message.status === "building";
export const hasUnfinished = (messages?: Pick<Message, "status">[]) => messages?.some(isUnfinished) ?? false;

export function latestAssistant<T extends Pick<Message, "role">>(messages: readonly T[] = []) {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (message?.role === "assistant") return message;
  }
  return undefined;
}

/** The server's messages, polled only while an exchange is unfinished or a send is in flight. */
export function useChatMessages(projectId: string) {
  const sending = useSendInFlight();
  return api.generation.getChatMessages.useQuery(
    { projectId },
    { refetchInterval: (query) => (sending || hasUnfinished(query.state.data) ? CHAT_POLL_MS : false) },
  );
}

export function useGenerationBusy(projectId: string) {
  const sending = useSendInFlight();
  const { data: unfinished = false } = api.generation.getChatMessages.useQuery(
    { projectId },
    { select: hasUnfinished },
  );
  return sending || unfinished;
}

