"use client";
// An effect that stores a number derived from the data (for a title badge): no list
// gets a second writer.
import { useEffect, useState } from "react";

import { api } from "../../_support/api";

export function UnreadBadge() {
  const { data: notifications = [] } = api.notifications.list.useQuery();
  const [unread, setUnread] = useState(0);
  useEffect(() => {
    setUnread(notifications.filter((n) => n.readAt === null).length);
    document.title = `Inbox`;
  }, [notifications]);
  return <span onClick={() => setUnread((n) => n + 1)}>{unread}</span>;
}
