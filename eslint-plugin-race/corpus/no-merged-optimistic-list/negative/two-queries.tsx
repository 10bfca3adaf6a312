"use client";
// Two server lists merged, and two local lists merged: one source of truth each.
import { useState } from "react";

import { api } from "../../_support/api";
import type { Notification } from "../../_support/router";

export function Inbox() {
  const todos = api.todos.list.useQuery();
  const { data: notifications = [] } = api.notifications.list.useQuery();
  const [dismissed] = useState<Notification[]>([]);
  const [snoozed] = useState<Notification[]>([]);
  const hidden = [...dismissed, ...snoozed];
  const server = [...(todos.data ?? []).map((t) => t.id), ...notifications.map((n) => n.id)];
  return <p>{server.length - hidden.length}</p>;
}
