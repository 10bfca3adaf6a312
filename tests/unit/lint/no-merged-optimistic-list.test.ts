import rule from "../../../eslint-plugin-race/rules/no-merged-optimistic-list.js";
import { code, createRuleTester, lineOf, sourceOf } from "./rule-tester";

// The design note's ChatPanelG (race-conditions-explained.md §3), with the render the
// note describes ("UI now shows both messages").
const noteChatPanel = code`
  export function ChatPanelG({ projectId }: { projectId: string }) {
    // ❌ RACE CONDITION: Multiple message sources
    const [optimisticMessages, setOptimisticMessages] = useState([]);
    const { data: serverMessages } = trpc.generation.getChatMessages.useQuery({ projectId });
    const messages = [...(serverMessages ?? []), ...optimisticMessages];
    return <ul>{messages.map((m) => <li key={m.id}>{m.content}</li>)}</ul>;
  }
`;

const labNaivePanel = sourceOf("src/app/lab/_components/workspace/NaiveChatPanel.tsx");

const concatBothWays = code`
  const ChatPanel = () => {
    const query = api.generation.getChatMessages.useQuery({ projectId: "p" });
    const [pending, setPending] = React.useState<Message[]>([]);
    const a = (query.data ?? []).concat(pending);
    const b = pending.concat(query.data!);
    return <List a={a} b={b} />;
  };
`;

const hookWithMemoAndDerived = code`
  export function useVisibleMessages(projectId: string) {
    const { data } = useChatMessages(projectId);
    const [drafts] = useReducer(reducer, []);
    const unsent = drafts.filter((draft) => !draft.sent);
    return useMemo(() => [...(data ?? []), ...unsent], [data, unsent]);
  }
`;

const memoWrapped = code`
  const Thread = memo(function Thread({ id }: { id: string }) {
    const [messages] = api.generation.getChatMessages.useSuspenseQuery({ projectId: id });
    const [local, setLocal] = useState<Message[]>([]);
    return <List items={[...local, ...messages]} />;
  });
`;

createRuleTester().run("race/no-merged-optimistic-list", rule, {
  valid: [
    {
      name: "the design note's fix: the server's list only",
      code: code`
        function ChatPanelG() {
          // ✅ FIXED: Remove optimistic state, use server only
          const { data: messages } = trpc.generation.getChatMessages.useQuery();
          return <ul>{messages?.map((m) => <li key={m.id}>{m.content}</li>)}</ul>;
        }
      `,
    },
    {
      name: "this app's ChatPanel.tsx: one list, the query's data",
      code: sourceOf("src/app/projects/[id]/generate/workspace/panels/ChatPanel.tsx"),
    },
    {
      name: "this app's Composer.tsx: local state for the draft text, never merged with a list",
      code: sourceOf("src/app/projects/[id]/generate/workspace/panels/Composer.tsx"),
    },
    {
      name: "a setState updater that spreads the previous local state",
      code: code`
        function Drafts() {
          const [drafts, setDrafts] = useState<string[]>([]);
          const { data: saved = [] } = api.drafts.list.useQuery();
          const add = (draft: string) => setDrafts((current) => [...current, draft]);
          return <List items={saved} drafts={drafts} onAdd={add} />;
        }
      `,
    },
    {
      name: "two queries merged, or two local states merged",
      code: code`
        function Everything() {
          const mine = api.scenes.mine.useQuery();
          const { data: shared = [] } = api.scenes.shared.useQuery();
          const [a] = useState<Scene[]>([]);
          const [b] = useState<Scene[]>([]);
          return <List servers={[...(mine.data ?? []), ...shared]} locals={[...a, ...b]} />;
        }
      `,
    },
    {
      name: "React 19's useOptimistic derives from the server's list instead of sitting beside it",
      code: code`
        function Thread({ messages }: { messages: Message[] }) {
          const { data: serverMessages = [] } = useChatMessages("p");
          const [shown, addShown] = useOptimistic(serverMessages, (list: Message[], m: Message) => [...list, m]);
          return <List items={[...shown]} onAdd={addShown} />;
        }
      `,
    },
    {
      name: "a function that is neither a component nor a hook",
      code: code`
        function mergeForExport(local: Message[], server: Message[]) {
          return [...server, ...local];
        }
      `,
    },
  ],
  invalid: [
    {
      name: "both lists rendered side by side in one element, without merging",
      code: code`
        function ChatPanelG() {
          const [optimisticMessages] = useState<Message[]>([]);
          const { data: serverMessages = [] } = trpc.generation.getChatMessages.useQuery();
          return <ul>{serverMessages.map((m) => <li key={m.id} />)}{optimisticMessages.map((m) => <li key={m.id} />)}</ul>;
        }
      `,
      errors: [{ messageId: "sideBySide", line: 4, data: { state: "optimisticMessages", query: "serverMessages" } }],
    },
    {
      name: "the design note's ChatPanelG: useState list merged with getChatMessages.useQuery",
      code: noteChatPanel,
      errors: [
        {
          messageId: "mergedList",
          line: lineOf(noteChatPanel, "const messages = ["),
          data: { state: "optimisticMessages", query: "serverMessages ?? []" },
        },
      ],
    },
    {
      name: "the lab's NaiveChatPanel.tsx",
      code: labNaivePanel,
      errors: [{ messageId: "mergedList", line: lineOf(labNaivePanel, "const messages = [") }],
    },
    {
      name: "concat in either order, arrow component, React.useState, a query result's .data",
      code: concatBothWays,
      errors: [
        { messageId: "mergedList", line: lineOf(concatBothWays, "const a =") },
        { messageId: "mergedList", line: lineOf(concatBothWays, "const b =") },
      ],
    },
    {
      name: "a hook, useReducer state filtered, merged inside useMemo",
      code: hookWithMemoAndDerived,
      errors: [{ messageId: "mergedList", line: lineOf(hookWithMemoAndDerived, "useMemo") }],
    },
    {
      name: "a memo-wrapped component and a suspense query tuple",
      code: memoWrapped,
      errors: [{ messageId: "mergedList", line: lineOf(memoWrapped, "[...local, ...messages]") }],
    },
  ],
});
