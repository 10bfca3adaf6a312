"use client";

import Link from "next/link";
import type { ReactNode } from "react";

import type { RouterOutputs } from "~/trpc/react";
import { ChatPanel } from "./panels/ChatPanel";
import { ScenesPanel } from "./panels/ScenesPanel";

type Project = RouterOutputs["project"]["get"];

interface WorkspaceProps {
  project: Project;
  /** Beside the title (e.g. a link or a switcher). */
  toolbar?: ReactNode;
  /** Under the title bar. */
  banner?: ReactNode;
  /** The chat column; by default the app's ChatPanel. */
  chat?: ReactNode;
}

/** A project's workspace: the chat on the left, the scenes on the right. */
export function Workspace({ project, toolbar, banner, chat }: WorkspaceProps) {
  return (
    <div className="mx-auto flex w-full max-w-7xl flex-1 flex-col px-4 py-6 sm:px-6">
      <div className="flex flex-wrap items-center gap-3">
        <Link
          href="/"
          className="rounded-md px-2 py-1 text-sm text-slate-600 hover:bg-slate-100 hover:text-slate-900"
        >
          <span aria-hidden>←</span> All projects
        </Link>
        <h1 className="min-w-0 flex-1 truncate text-xl font-semibold tracking-tight" data-testid="project-title">
          {project.title}
        </h1>
        {toolbar}
      </div>

      {banner}

      <div className="mt-6 grid flex-1 items-start gap-6 lg:grid-cols-[380px_minmax(0,1fr)]">
        {chat ?? <ChatPanel projectId={project.id} />}
        <ScenesPanel projectId={project.id} />
      </div>
    </div>
  );
}
