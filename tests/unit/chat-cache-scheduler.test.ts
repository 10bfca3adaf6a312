/**
 * The chat panel's cache updates, explored with fast-check's scheduler instead of by hand.
 *
 * A real TanStack `QueryClient` (the app's `createQueryClient`), the real tRPC client and
 * query utils, and the panel's own query key and mutation key; only the network is fake:
 * a terminating tRPC link hands each request to an in-memory server whose every step is a
 * task `fc.scheduler()` releases when it chooses:
 *
 * - a send (`generation.generateScene`): the claim commits (user message + pending
 *   reply), the reply is marked building, the apply commits, the response arrives;
 *   a repeated requestId is answered from the stored exchange, as claim.ts does;
 * - every `generation.getChatMessages` fetch: the server reads the chat, later the
 *   response arrives (a stale response can arrive after a newer one was started);
 * - the user's actions, in order: send "A", then either send "B" or click Generate again;
 * - poll ticks, each one taken only if the panel's refetchInterval would be running
 *   (`sending || hasUnfinished(data)`, from chat-queries.ts).
 *
 * The client side mirrors the panel and the composer: the chat query as
 * `useChatMessages` builds it (same key, same queryFn through the tRPC client), hydrated
 * from the page's awaited prefetch; the send mutation with Composer's callbacks
 * (`onMutate`: invalidate the chat, `onSettled`: invalidate chat, scenes and project —
 * `useGenerationCacheSync`) and its per-composed-message requestId.
 *
 * After every scheduled step, what the panel would render is checked: no message (id or
 * user prompt) twice, no message that was on screen gone later; at the end it equals the
 * server's list. Teeth: the lab's naive panel (NaiveChatPanel.tsx: an optimistic local
 * list concatenated with the server's) runs under the same property and must fail.
 */
import { MutationObserver, QueryObserver, type QueryClient } from "@tanstack/react-query";
import { createTRPCClient, TRPCClientError, type TRPCLink } from "@trpc/client";
import { createTRPCQueryUtils, getMutationKey } from "@trpc/react-query";
import { observable } from "@trpc/server/observable";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

import {
  generationCacheSync,
  hasUnfinished,
  isPromptSend,
  promptSendMeta,
  type ChatMessageView,
  type Message,
} from "~/app/projects/[id]/generate/workspace/panels/chat-queries";
import type { AppRouter } from "~/server/api/root";
import { api, type RouterOutputs } from "~/trpc/react";
import { createQueryClient } from "~/trpc/query-client";

const PROJECT_ID = "5f0f3c4e-8f7a-4d55-9d1e-2b6a3c7d9e10";

interface GenerateInput {
  projectId: string;
  prompt: string;
  requestId: string;
}
type GenerateResult = RouterOutputs["generation"]["generateScene"];

/** What the explored schedules contained, for the report line. */
const stats = { runs: 0, staleResponses: 0, replays: 0, polls: 0, violationKinds: new Set<string>() };

/** The server: one project's messages, ordered by sequence; every step waits for the scheduler. */
class FakeServer {
  readonly messages: Message[] = [];
  #fetches = 0;
  #ids = 0;

  constructor(private readonly s: fc.Scheduler) {}

  /** What the page's awaited prefetch rendered (and the client hydrated). */
  snapshot(): Message[] {
    return structuredClone(this.messages);
  }

  handle(path: string, input: unknown): Promise<unknown> {
    if (path === "generation.getChatMessages") return this.#getChatMessages();
    if (path === "generation.generateScene") return this.#generateScene(input as GenerateInput);
    return Promise.reject(new Error(`the fake server has no procedure ${path}`));
  }

  /** An exchange that happened before the page was loaded. */
  seedExchange(prompt: string) {
    const { assistant } = this.#claim({ projectId: PROJECT_ID, prompt, requestId: `seed-${prompt}` });
    Object.assign(assistant, { status: "success", content: `Added a scene: “${prompt}”.` });
  }

  async #getChatMessages() {
    const fetch = ++this.#fetches;
    await this.#step(`chat fetch #${fetch}: the server reads the chat`);
    const read = this.snapshot();
    await this.#step(`chat fetch #${fetch}: the response arrives with [${describeList(read)}]`);
    if (fetch < this.#fetches) stats.staleResponses++;
    return read;
  }

  async #generateScene(input: GenerateInput) {
    const { prompt } = input;
    await this.#step(`send "${prompt}": the claim commits`);
    const existing = this.messages.find((m) => m.role === "user" && m.requestId === input.requestId);
    if (existing) {
      stats.replays++;
      const reply = this.messages.find((m) => m.replyToId === existing.id);
      await this.#step(`send "${prompt}" (repeated requestId): the stored exchange is sent back`);
      return { userMessage: existing, assistantMessage: reply, scene: null, replayed: true };
    }
    const { user, assistant } = this.#claim(input);
    await this.#step(`send "${prompt}": the reply is marked building`);
    assistant.status = "building";
    await this.#step(`send "${prompt}": the apply commits`);
    Object.assign(assistant, { status: "success", content: `Added a scene: “${prompt}”.` });
    const response = structuredClone({ userMessage: user, assistantMessage: assistant, scene: null, replayed: false });
    await this.#step(`send "${prompt}": the response arrives`);
    return response;
  }

  #claim({ prompt, requestId }: GenerateInput) {
    const now = new Date();
    const base = { projectId: PROJECT_ID, sceneId: null, error: null, attempt: 1, createdAt: now, updatedAt: now };
    const user: Message = {
      ...base,
      id: `m${++this.#ids}`,
      role: "user",
      content: prompt,
      status: "success",
      requestId,
      replyToId: null,
      sequence: this.messages.length,
    };
    const assistant: Message = {
      ...base,
      id: `m${++this.#ids}`,
      role: "assistant",
      content: "",
      status: "pending",
      requestId: null,
      replyToId: user.id,
      sequence: this.messages.length + 1,
    };
    this.messages.push(user, assistant);
    return { user, assistant };
  }

  #step(label: string) {
    return this.s.schedule(Promise.resolve(), label);
  }
}

/** The network: a terminating tRPC link that hands every operation to the fake server. */
const fakeServerLink =
  (server: FakeServer): TRPCLink<AppRouter> =>
  () =>
  ({ op }) =>
    observable((observer) => {
      server.handle(op.path, op.input).then(
        (data) => {
          observer.next({ result: { type: "data", data } });
          observer.complete();
        },
        (error: unknown) => observer.error(TRPCClientError.from(error instanceof Error ? error : new Error(String(error)))),
      );
    });

/** A chat panel design: what it renders, and what (if anything) it keeps beside the server's list. */
interface PanelDesign {
  name: string;
  /** Composer's `onSend` prop: called as a prompt is sent; the returned function runs when it settles. */
  onSend?: (local: LocalState, prompt: string) => () => void;
  render: (serverMessages: readonly Message[], local: LocalState) => ChatMessageView[];
}

/** A panel's own state (the naive panel's `useState` list and `useRef` counter). */
interface LocalState {
  messages: ChatMessageView[];
  nextId: number;
}

/** panels/ChatPanel.tsx: exactly one list, `messages.data`. */
const fixedPanel: PanelDesign = {
  name: "fixed ChatPanel (renders only the server's query data)",
  render: (serverMessages) => [...serverMessages],
};

/** ❌ src/app/lab/_components/workspace/NaiveChatPanel.tsx, broken on purpose: `[...serverMessages, ...optimisticMessages]`. */
const naivePanel: PanelDesign = {
  name: "naive NaiveChatPanel (optimistic local list + server list)",
  onSend: (local, prompt) => {
    const ids = [`optimistic-${++local.nextId}`, `optimistic-${++local.nextId}`];
    local.messages = [
      ...local.messages,
      { id: ids[0] ?? "", role: "user", status: "pending", content: prompt, error: null },
      { id: ids[1] ?? "", role: "assistant", status: "pending", content: "Generating…", error: null },
    ];
    // Removed only when the request settles, long after the server's copy is on screen.
    return () => {
      local.messages = local.messages.filter((message) => !ids.includes(message.id));
    };
  },
  render: (serverMessages, local) => [...serverMessages, ...local.messages],
};

/** The run in progress, for the scheduler's act hook (which checks the render after every step). */
let current: { s: fc.Scheduler; check: (after: string) => void } | undefined;

const scheduler = fc.scheduler({
  act: async (f) => {
    await f();
    // Let the released task's continuation run to its next await (what React would then render).
    await new Promise<void>((resolve) => setImmediate(resolve));
    const done = current?.s.report().filter((task) => task.status !== "pending");
    current?.check(done?.at(-1)?.label ?? "?");
  },
});

const scenario = fc.record({
  earlierExchange: fc.boolean(),
  second: fc.constantFrom("send another prompt" as const, "click Generate again" as const),
  pollTicks: fc.integer({ min: 0, max: 4 }),
});

function chatProperty(design: PanelDesign) {
  return fc.asyncProperty(scheduler, scenario, async (s, { earlierExchange, second, pollTicks }) => {
    const server = new FakeServer(s);
    if (earlierExchange) server.seedExchange("An earlier scene");

    const queryClient: QueryClient = createQueryClient();
    const client = createTRPCClient<AppRouter>({ links: [fakeServerLink(server)] });
    const utils = createTRPCQueryUtils<AppRouter>({ queryClient, client });
    const projectId = PROJECT_ID;

    // useChatMessages(projectId): the page awaited the prefetch, so the client starts hydrated.
    const chatQuery = utils.generation.getChatMessages.queryOptions({ projectId });
    queryClient.setQueryData(chatQuery.queryKey, server.snapshot());
    const chat = new QueryObserver(queryClient, chatQuery);
    const unsubscribe = chat.subscribe(() => undefined);

    // useSendInFlight / the refetchInterval rule of useChatMessages.
    const mutationKey = getMutationKey(api.generation.generateScene);
    const sending = () => queryClient.isMutating({ predicate: isPromptSend }) > 0;
    const pollRunning = () => sending() || hasUnfinished(queryClient.getQueryData(chatQuery.queryKey));

    // useGenerationCacheSync(projectId): the same function, on this client's query utils.
    const sync = generationCacheSync(utils, projectId);

    // Composer: its mutation callbacks, its draft (one requestId per composed message), its text.
    const local: LocalState = { messages: [], nextId: 0 };
    let text = "";
    let draft: { prompt: string; requestId: string } | null = null;
    let requestIds = 0;
    const generation = new MutationObserver<GenerateResult, unknown, GenerateInput, { settle?: () => void }>(queryClient, {
      mutationKey,
      meta: promptSendMeta,
      mutationFn: (input) => client.generation.generateScene.mutate(input),
      onMutate: ({ prompt }) => {
        sync.sent();
        return { settle: design.onSend?.(local, prompt) };
      },
      onSuccess: (_data, { prompt, requestId }) => {
        if (draft?.requestId === requestId) draft = null;
        if (text.trim() === prompt) text = "";
      },
      onSettled: (_data, _error, _variables, sent) => {
        sent?.settle?.();
        return sync.settled();
      },
    });
    const send = () => {
      const prompt = text.trim();
      if (prompt === "") return; // the button is disabled
      if (draft?.prompt !== prompt) draft = { prompt, requestId: `request-${++requestIds}` };
      generation.mutate({ projectId, prompt, requestId: draft.requestId }).catch(() => undefined);
    };

    // What the panel renders, checked after every scheduled step.
    const violations: string[] = [];
    const everShownIds = new Set<string>();
    const everShownPrompts = new Set<string>();
    const render = () => design.render(queryClient.getQueryData(chatQuery.queryKey) ?? [], local);
    const check = (after: string) => {
      const view = render();
      const ids = view.map((message) => message.id);
      const prompts = view.filter((message) => message.role === "user").map((message) => message.content);
      const problems = [
        ...duplicates(ids).map((id) => `message ${id} shown twice`),
        ...duplicates(prompts).map((prompt) => `the user's "${prompt}" shown twice`),
        ...[...everShownIds].filter((id) => !ids.includes(id)).map((id) => `server message ${id} disappeared`),
        ...[...everShownPrompts].filter((p) => !prompts.includes(p)).map((p) => `the user's "${p}" disappeared`),
      ];
      if (problems.some((problem) => problem.endsWith("twice"))) stats.violationKinds.add("a message shown twice");
      if (problems.some((problem) => problem.endsWith("disappeared"))) stats.violationKinds.add("a message disappeared");
      if (problems.length > 0 && violations.length === 0) {
        violations.push(`after «${after}» the panel shows [${describeList(view)}]: ${problems.join("; ")}`);
      }
      const serverIds = new Set(server.messages.map((message) => message.id));
      for (const id of ids) if (serverIds.has(id)) everShownIds.add(id);
      for (const prompt of prompts) everShownPrompts.add(prompt);
    };
    current = { s, check };

    try {
      check("the page loaded");
      s.scheduleSequence([
        {
          label: 'the user types "A" and clicks Generate',
          builder: async () => {
            text = "A";
            send();
          },
        },
        {
          label: second === "send another prompt" ? 'the user types "B" and clicks Generate' : "the user clicks Generate again",
          builder: async () => {
            if (second === "send another prompt") text = "B";
            send();
          },
        },
      ]);
      for (let tick = 1; tick <= pollTicks; tick++) {
        void s.schedule(Promise.resolve(), `poll tick ${tick}`).then(() => {
          // refetchInterval's own call: no cancelRefetch, so it joins a fetch already in flight.
          if (!pollRunning()) return;
          stats.polls++;
          void chat.refetch({ cancelRefetch: false });
        });
      }

      await s.waitIdle();

      expect(queryClient.isMutating(), "every send settled").toBe(0);
      expect(queryClient.isFetching(), "no fetch left in flight").toBe(0);
      if (violations.length > 0) throw new Error(violations[0]);
      const shown = render().map(({ id, role, content, status }) => ({ id, role, content, status }));
      const stored = server.messages.map(({ id, role, content, status }) => ({ id, role, content, status }));
      expect(shown, "in the end the panel shows the server's list").toEqual(stored);
    } finally {
      current = undefined;
      unsubscribe();
      queryClient.clear();
    }
  });
}

function duplicates(values: string[]) {
  return [...new Set(values.filter((value, index) => values.indexOf(value) !== index))];
}

function describeList(messages: readonly Pick<ChatMessageView, "id" | "role" | "content" | "status">[]) {
  return messages
    .map((m) => (m.role === "user" ? `user "${m.content}"` : `reply ${m.status}`) + (m.id.startsWith("optimistic-") ? " (optimistic)" : ""))
    .join(", ");
}

describe("chat cache updates under fc.scheduler()", () => {
  it("fixed panel: never a message twice, never one lost, ends equal to the server's list", async () => {
    Object.assign(stats, { runs: 0, staleResponses: 0, replays: 0, polls: 0, violationKinds: new Set() });
    const counted = chatProperty(fixedPanel).afterEach(() => void stats.runs++);

    await fc.assert(counted, { numRuns: 300 });

    console.log(
      `[scheduler] ${fixedPanel.name}: ${stats.runs} schedules passed (${stats.staleResponses} chat responses ` +
        `that arrived after a newer fetch had started, ${stats.replays} repeated-requestId sends, ${stats.polls} polls taken)`,
    );
  });

  it("naive panel: the same property finds a counterexample", async () => {
    stats.violationKinds.clear();
    const details = await fc.check(chatProperty(naivePanel), { numRuns: 300 });

    expect(details.failed).toBe(true);
    const [schedule, caught] = details.counterexample ?? [];
    console.log(
      `[scheduler] ${naivePanel.name}: counterexample after ${details.numRuns} runs (${details.numShrinks} shrinks)\n` +
        `  scenario: ${JSON.stringify(caught)}\n` +
        `  schedule: ${String(schedule)}\n` +
        `  failure: ${details.errorInstance instanceof Error ? details.errorInstance.message.split("\n")[0] : String(details.errorInstance)}\n` +
        `  seen in the runs fast-check made (the failing one and its shrinks): ${[...stats.violationKinds].join(", ")}`,
    );
  });
});
