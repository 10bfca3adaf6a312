import { TRPCError } from "@trpc/server";
import { notFound } from "next/navigation";
import { z } from "zod";

import { isRaceLabEnabled } from "~/env";
import { chatPanelVariants, welcomeResetStrategyNames } from "~/lib/lab";
import { api, HydrateClient } from "~/trpc/server";
import { Workspace, type LabSettings } from "./workspace/Workspace";

export const dynamic = "force-dynamic";

/**
 * `?latency=300,2300`: the lab's model latency for this tab's successive sends, cycling
 * (the lab router's `latencyMs`). It is how the e2e tests force an interleaving: a
 * double-click that sends 300 ms then 2300 ms applies A, then B ~2 s later. Anything
 * invalid (not integers 0–10000, more than 5) is ignored, never an error page.
 */
const latencySchema = z
  .string()
  .regex(/^\d{1,5}(,\d{1,5}){0,4}$/)
  .transform((value) => value.split(",").map(Number))
  .pipe(z.array(z.number().int().min(0).max(10_000)))
  .optional()
  .catch(undefined);

const labSettingsSchema = z.object({
  strategy: z.enum(["fixed", ...welcomeResetStrategyNames]).catch("fixed"),
  chat: z.enum(chatPanelVariants).catch("fixed"),
  latency: latencySchema,
});
const fixedApp: LabSettings = { strategy: "fixed", chat: "fixed" };

export default async function GeneratePage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { id } = await params;
  const parsed = z.uuid().safeParse(id);
  if (!parsed.success) notFound();
  const projectId = parsed.data;

  const project = await api.project.get({ projectId }).catch((error: unknown) => {
    if (error instanceof TRPCError && error.code === "NOT_FOUND") notFound();
    throw error;
  });
  // Outside the lab the broken variants are unreachable, whatever the URL says.
  const lab = isRaceLabEnabled ? labSettingsSchema.parse(await searchParams) : fixedApp;

  // Awaited, not streamed: the panels use useQuery, so the server HTML and the first client
  // render must both start from the loaded data (a pending prefetch makes them disagree).
  await Promise.all([
    api.generation.getChatMessages.prefetch({ projectId }),
    api.generation.getProjectScenes.prefetch({ projectId }),
  ]);

  return (
    <HydrateClient>
      <Workspace project={project} labEnabled={isRaceLabEnabled} lab={lab} />
    </HydrateClient>
  );
}
