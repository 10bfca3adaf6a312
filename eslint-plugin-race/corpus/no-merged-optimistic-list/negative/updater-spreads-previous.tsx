"use client";
// A state updater that spreads the previous local list is not a merge with the server.
import { useState } from "react";

import { api } from "../../_support/api";

export function Drafts() {
  const [drafts, setDrafts] = useState<string[]>([]);
  const { data: saved = [] } = api.todos.list.useQuery();
  const add = (draft: string) => setDrafts((current) => [...current, draft]);
  return (
    <div>
      <p>{saved.length} saved</p>
      <button onClick={() => add("new")}>{drafts.length} drafts</button>
    </div>
  );
}
