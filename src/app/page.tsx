import Link from "next/link";
import { Suspense } from "react";

import { isRaceLabEnabled } from "~/env";
import { api, HydrateClient } from "~/trpc/server";
import { ProjectList, ProjectListSkeleton } from "./_components/ProjectList";

export const dynamic = "force-dynamic";

export default function Home() {
  void api.project.list.prefetch();

  return (
    <HydrateClient>
      <div className="mx-auto w-full max-w-5xl px-4 py-10 sm:px-6">
        {isRaceLabEnabled && (
          <p className="mb-8 flex flex-wrap items-center gap-x-3 gap-y-1 rounded-lg border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-950">
            <span>Watch the broken and the fixed code race, side by side.</span>
            <Link
              href="/lab"
              data-testid="race-lab-link"
              className="rounded-md font-semibold text-amber-950 underline underline-offset-2 hover:no-underline"
            >
              Open the Race Lab <span aria-hidden>→</span>
            </Link>
          </p>
        )}
        <Suspense fallback={<ProjectListSkeleton />}>
          <ProjectList />
        </Suspense>
      </div>
    </HydrateClient>
  );
}
