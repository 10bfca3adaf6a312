"use client";
// A form draft initialised from the server: edited locally, never merged with a list.
import { useEffect, useState } from "react";

import { api } from "../../_support/api";

export function ProfileForm() {
  const { data } = api.profile.get.useQuery();
  const [draft, setDraft] = useState({ name: "", bio: "" });
  const save = api.profile.update.useMutation();

  useEffect(() => {
    if (data) setDraft(data);
  }, [data]);

  return (
    <form onSubmit={() => save.mutate(draft)}>
      <input value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} />
    </form>
  );
}
