import { z } from "zod";

import { chatPanelVariants, welcomeResetStrategyNames, type ChatPanelVariant, type WelcomeResetStrategy } from "~/lib/lab";

/** The lab workspace's choices, read from `?strategy=…&chat=…&latency=…`. */
export interface LabSettings {
  strategy: "fixed" | WelcomeResetStrategy;
  chat: ChatPanelVariant;
  /** Model latency (ms) of this tab's successive lab sends, cycling; lab strategies only. */
  latency?: number[];
}

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

export const parseLabSettings = (searchParams: Record<string, string | string[] | undefined>): LabSettings =>
  labSettingsSchema.parse(searchParams);

/** The lab's copy of a project's workspace, with these settings in its URL. */
export function labWorkspaceHref(projectId: string, settings: Partial<LabSettings> = {}) {
  const query = new URLSearchParams();
  if (settings.strategy && settings.strategy !== "fixed") query.set("strategy", settings.strategy);
  if (settings.chat && settings.chat !== "fixed") query.set("chat", settings.chat);
  if (settings.latency?.length) query.set("latency", settings.latency.join(","));
  const search = query.toString();
  return `/lab/projects/${projectId}${search ? `?${search}` : ""}`;
}

export const formatLatency = (latency: readonly number[]) => `${latency.join(" → ")} ms`;
