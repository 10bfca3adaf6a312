/** The server router the client cases query (its shapes only matter for their types). */
import { z } from "zod";

import type { ChatMessage } from "./chat-store";
import { createTRPCRouter, protectedProcedure } from "./trpc";

export interface Todo {
  id: string;
  title: string;
  done: boolean;
}

export interface Notification {
  id: string;
  kind: string;
  readAt: Date | null;
}

export const appRouter = createTRPCRouter({
  chat: createTRPCRouter({
    list: protectedProcedure.input(z.object({ projectId: z.string() })).query((): ChatMessage[] => []),
    send: protectedProcedure.input(z.object({ projectId: z.string(), content: z.string() })).mutation((): ChatMessage => ({ id: "", role: "user", content: "" })),
  }),
  todos: createTRPCRouter({
    list: protectedProcedure.query((): Todo[] => []),
    add: protectedProcedure.input(z.object({ title: z.string() })).mutation((): Todo => ({ id: "", title: "", done: false })),
  }),
  notifications: createTRPCRouter({
    list: protectedProcedure.query((): Notification[] => []),
  }),
  profile: createTRPCRouter({
    get: protectedProcedure.query(() => ({ name: "", bio: "" })),
    update: protectedProcedure.input(z.object({ name: z.string(), bio: z.string() })).mutation(() => ({ name: "", bio: "" })),
  }),
});

export type AppRouter = typeof appRouter;
