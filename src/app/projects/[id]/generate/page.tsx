import Link from "next/link";

import { isRaceLabEnabled } from "~/env";
import { HydrateClient } from "~/trpc/server";
import { loadWorkspace } from "./load-workspace";
import { Workspace } from "./workspace/Workspace";

export const dynamic = "force-dynamic";

export default async function GeneratePage({ params }: { params: Promise<{ id: string }> }) {
  const project = await loadWorkspace(params);
  // With the Race Lab on, a link to the same project in the lab's workspace (its own route).
  const toLab = isRaceLabEnabled ? (
    <Link
      href={`/lab/projects/${project.id}`}
      data-testid="lab-workspace-link"
      className="rounded-md border border-amber-200 bg-amber-50 px-3 py-1.5 text-sm font-medium text-amber-900 hover:bg-amber-100"
    >
      Open in the Race Lab
    </Link>
  ) : undefined;

  return (
    <HydrateClient>
      <Workspace project={project} toolbar={toLab} />
    </HydrateClient>
  );
}
