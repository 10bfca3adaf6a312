import "server-only";

import { TRPCError } from "@trpc/server";
import { notFound } from "next/navigation";
import { z } from "zod";

import { api } from "~/trpc/server";

/**
 * The project a workspace page shows, with its chat and scenes prefetched; 404 for an id
 * that is not a UUID or not this user's project. Awaited, not streamed: the panels use
 * useQuery, so the server HTML and the first client render must both start from the
 * loaded data (a pending prefetch makes them disagree).
 */
export async function loadWorkspace(params: Promise<{ id: string }>) {
  const parsed = z.uuid().safeParse((await params).id);
  if (!parsed.success) notFound();
  const projectId = parsed.data;

  const project = await api.project.get({ projectId }).catch((error: unknown) => {
    if (error instanceof TRPCError && error.code === "NOT_FOUND") notFound();
    throw error;
  });
  await Promise.all([
    api.generation.getChatMessages.prefetch({ projectId }),
    api.generation.getProjectScenes.prefetch({ projectId }),
  ]);
  return project;
}
