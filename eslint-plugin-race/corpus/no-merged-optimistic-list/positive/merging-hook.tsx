"use client";
// A hook that merges local drafts into the server's list for its callers.
import { useReducer } from "react";

import { api } from "../../_support/api";
import type { Todo } from "../../_support/router";

function reducer(state: Todo[], todo: Todo) {
  return [...state, todo];
}

export function useTodosWithDrafts() {
  const { data } = api.todos.list.useQuery();
  const [drafts, addDraft] = useReducer(reducer, []);
  const unsaved = drafts.filter((draft) => !draft.done);
  return { todos: [...(data ?? []), ...unsaved], addDraft }; // expect: race/no-merged-optimistic-list
}
