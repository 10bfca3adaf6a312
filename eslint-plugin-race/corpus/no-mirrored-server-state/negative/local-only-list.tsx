"use client";
// Client-only items (files being picked) in state, and a different server list: no
// server data is copied into the state.
import { useState } from "react";

import { api } from "../../_support/api";

export function Uploads() {
  const { data: todos = [] } = api.todos.list.useQuery();
  const [files, setFiles] = useState<File[]>([]);
  return (
    <div>
      <input type="file" onChange={(e) => setFiles((list) => [...list, ...Array.from(e.target.files ?? [])])} />
      <p>
        {files.length} files, {todos.length} todos
      </p>
    </div>
  );
}
