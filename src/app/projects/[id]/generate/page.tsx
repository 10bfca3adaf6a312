import { TRPCError } from "@trpc/server";
import { notFound } from "next/navigation";
import { z } from "zod";

import { api, HydrateClient } from "~/trpc/server";
import { Workspace } from "./workspace/Workspace";

export const dynamic = "force-dynamic";

export default async function GeneratePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const parsed = z.uuid().safeParse(id);
  if (!parsed.success) notFound();
  const projectId = parsed.data;

  const project = await api.project.get({ projectId }).catch((error: unknown) => {
    if (error instanceof TRPCError && error.code === "NOT_FOUND") notFound();
    throw error;
  });

  void api.generation.getChatMessages.prefetch({ projectId });
  void api.generation.getProjectScenes.prefetch({ projectId });

  return (
    <HydrateClient>
      <Workspace project={project} />
    </HydrateClient>
  );
}
