"use client";
// The fix: the optimistic message goes into the query's own cache, and the server's
// list replaces it when the mutation settles.
import { api } from "../../_support/api";

export function ChatPanel({ projectId }: { projectId: string }) {
  const utils = api.useUtils();
  const { data: messages = [] } = api.chat.list.useQuery({ projectId });
  const send = api.chat.send.useMutation({
    onMutate: async ({ content }) => {
      await utils.chat.list.cancel({ projectId });
      utils.chat.list.setData({ projectId }, (list = []) => [...list, { id: "tmp", role: "user", content, pending: true }]);
    },
    onSettled: () => utils.chat.list.invalidate({ projectId }),
  });
  return (
    <section>
      <ul>{messages.map((m) => <li key={m.id}>{m.content}</li>)}</ul>
      <button onClick={() => send.mutate({ projectId, content: "Hello" })}>Send</button>
    </section>
  );
}
