// A service built per request (in the tRPC context) that registers its tools.
import { toolRegistry, type Tool } from "../../_support/registry";

const summarize: Tool = { name: "summarize", run: async () => "" };

export class ChatService {
  constructor(readonly userId: string) {
    toolRegistry.register(summarize); // expect: race/no-register-in-constructor
  }
}

export const createContext = (userId: string) => ({ chat: new ChatService(userId) });
