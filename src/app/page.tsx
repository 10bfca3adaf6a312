import { Suspense } from "react";

import { api, HydrateClient } from "~/trpc/server";
import { ProjectList, ProjectListSkeleton } from "./_components/ProjectList";

export const dynamic = "force-dynamic";

export default function Home() {
  void api.project.list.prefetch();

  return (
    <HydrateClient>
      <div className="mx-auto w-full max-w-5xl px-4 py-10 sm:px-6">
        <Suspense fallback={<ProjectListSkeleton />}>
          <ProjectList />
        </Suspense>
      </div>
    </HydrateClient>
  );
}
