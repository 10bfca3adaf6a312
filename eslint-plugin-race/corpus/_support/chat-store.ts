/** A chat store as real apps keep one: the message list, and actions to replace it and add to it. */
import { create } from "./store";

export interface ChatMessage {
  id: string;
  role: "user" | "assistant";
  content: string;
  pending?: boolean;
}

interface ChatState {
  messages: ChatMessage[];
  draft: string;
  setMessages: (messages: ChatMessage[]) => void;
  addMessage: (message: ChatMessage) => void;
  removeMessage: (id: string) => void;
  setDraft: (draft: string) => void;
}

export const useChatStore = create<ChatState>((set) => ({
  messages: [],
  draft: "",
  setMessages: (messages) => set({ messages }),
  addMessage: (message) => set((state) => ({ messages: [...state.messages, message] })),
  removeMessage: (id) => set((state) => ({ messages: state.messages.filter((m) => m.id !== id) })),
  setDraft: (draft) => set({ draft }),
}));
