import { useIsMutating, type Mutation } from "@tanstack/react-query";

import { api, type RouterOutputs } from "~/trpc/react";

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

/** The `meta` of every mutation that sends a prompt: the chat polls while one is in flight. */
export const promptSendMeta = { sendsPrompt: true } as const;

export const isPromptSend = (mutation: Pick<Mutation, "options">) => mutation.options.meta?.sendsPrompt === true;

/** True while a prompt sent from this tab is in flight (any mutation with `promptSendMeta`). */
export function useSendInFlight() {
  return useIsMutating({ predicate: isPromptSend }) > 0;
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

type Invalidate = { invalidate: (input: { projectId: string }) => Promise<void> };
/** The part of tRPC's query utils a send touches (the hook's `api.useUtils()`, or a test's own). */
export interface ChatCacheUtils {
  generation: { getChatMessages: Invalidate; getProjectScenes: Invalidate };
  project: { get: Invalidate };
}

/** The chat and scenes refetch from the server after a send; nothing is written into the cache by hand. */
export function useGenerationCacheSync(projectId: string) {
  return generationCacheSync(api.useUtils(), projectId);
}

export function generationCacheSync(utils: ChatCacheUtils, projectId: string) {
  return {
    // The claim commits within milliseconds, so the user's message shows up from the server.
    sent: () => void utils.generation.getChatMessages.invalidate({ projectId }),
    settled: () =>
      Promise.all([
        utils.generation.getChatMessages.invalidate({ projectId }),
        utils.generation.getProjectScenes.invalidate({ projectId }),
        utils.project.get.invalidate({ projectId }),
      ]),
  };
}
