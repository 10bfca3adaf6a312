"use client";
// The todos copied into state, and new ones concatenated locally before they are saved.
import { useLayoutEffect, useState } from "react";

import { api } from "../../_support/api";
import type { Todo } from "../../_support/router";

export function Todos() {
  const todos = api.todos.list.useQuery();
  const [items, setItems] = useState<Todo[]>([]);
  const add = api.todos.add.useMutation();

  useLayoutEffect(() => {
    setItems(todos.data ?? []); // expect: race/no-mirrored-server-state
  }, [todos.data]);

  return (
    <ul>
      {items.map((todo) => (
        <li key={todo.id}>{todo.title}</li>
      ))}
      <li>
        <button
          onClick={() => {
            setItems((list) => list.concat({ id: "tmp", title: "New", done: false }));
            add.mutate({ title: "New" });
          }}
        >
          Add
        </button>
      </li>
    </ul>
  );
}
