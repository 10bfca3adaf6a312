"use client";

import { Workspace } from "~/app/projects/[id]/generate/workspace/Workspace";
import { ChatPanel } from "~/app/projects/[id]/generate/workspace/panels/ChatPanel";
import type { RouterOutputs } from "~/trpc/react";
import { BrokenVariantBanner } from "./BrokenVariantBanner";
import { LabComposer } from "./LabComposer";
import { LabSwitcher } from "./LabSwitcher";
import { NaiveChatPanel } from "./NaiveChatPanel";
import type { LabSettings } from "./settings";

/**
 * The app's workspace with the Race Lab plugged in from outside: a switcher for the
 * welcome-reset strategy and the chat panel, a banner while a broken variant is on, and a
 * composer that sends the lab's way. The app's own workspace knows none of this.
 */
export function LabWorkspace({ project, settings }: { project: RouterOutputs["project"]["get"]; settings: LabSettings }) {
  const composer =
    settings.strategy === "fixed" ? undefined : (
      <LabComposer projectId={project.id} strategy={settings.strategy} latencies={settings.latency} />
    );
  return (
    <Workspace
      project={project}
      toolbar={<LabSwitcher projectId={project.id} settings={settings} />}
      banner={<BrokenVariantBanner settings={settings} />}
      chat={
        settings.chat === "naive" ? (
          <NaiveChatPanel key="naive" projectId={project.id} settings={settings} />
        ) : (
          <ChatPanel key="fixed" projectId={project.id} composer={composer} />
        )
      }
    />
  );
}
