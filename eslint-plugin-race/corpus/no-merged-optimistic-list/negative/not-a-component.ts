// A plain function, neither a component nor a hook: merging arrays is just merging arrays.
import type { ChatMessage } from "../../_support/chat-store";

export function mergeForExport(local: ChatMessage[], server: ChatMessage[]) {
  return [...server, ...local];
}
