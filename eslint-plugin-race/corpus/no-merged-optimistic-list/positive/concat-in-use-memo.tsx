"use client";
// The same merge inside useMemo, with concat.
import { useMemo, useState } from "react";

import { api } from "../../_support/api";
import type { Todo } from "../../_support/router";

export function TodoList() {
  const todos = api.todos.list.useQuery();
  const [pending, setPending] = useState<Todo[]>([]);
  const visible = useMemo(() => (todos.data ?? []).concat(pending), [todos.data, pending]); // expect: race/no-merged-optimistic-list
  return (
    <ul onDoubleClick={() => setPending([])}>
      {visible.map((todo) => (
        <li key={todo.id}>{todo.title}</li>
      ))}
    </ul>
  );
}
