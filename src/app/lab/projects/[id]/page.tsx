import { notFound } from "next/navigation";

import { loadWorkspace } from "~/app/projects/[id]/generate/load-workspace";
import { isRaceLabEnabled } from "~/env";
import { HydrateClient } from "~/trpc/server";
import { LabWorkspace } from "../../_components/workspace/LabWorkspace";
import { parseLabSettings } from "../../_components/workspace/settings";

export const dynamic = "force-dynamic";

/** A project's workspace with the Race Lab's switcher: `?strategy=…&chat=…&latency=…`. 404 unless the lab is enabled. */
export default async function LabWorkspacePage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  if (!isRaceLabEnabled) notFound();
  const project = await loadWorkspace(params);
  return (
    <HydrateClient>
      <LabWorkspace project={project} settings={parseLabSettings(await searchParams)} />
    </HydrateClient>
  );
}
