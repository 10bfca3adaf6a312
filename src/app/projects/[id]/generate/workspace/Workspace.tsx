"use client";

import Link from "next/link";

import type { RouterOutputs } from "~/trpc/react";
import { ChatPanel } from "./panels/ChatPanel";
import { ScenesPanel } from "./panels/ScenesPanel";

type Project = RouterOutputs["project"]["get"];

export function Workspace({ project }: { project: Project }) {
  return (
    <div className="mx-auto flex w-full max-w-7xl flex-1 flex-col px-4 py-6 sm:px-6">
      <div className="flex items-center gap-3">
        <Link
          href="/"
          className="rounded-md px-2 py-1 text-sm text-slate-600 hover:bg-slate-100 hover:text-slate-900"
        >
          <span aria-hidden>←</span> All projects
        </Link>
        <h1 className="truncate text-xl font-semibold tracking-tight" data-testid="project-title">
          {project.title}
        </h1>
      </div>

      <div className="mt-6 grid flex-1 items-start gap-6 lg:grid-cols-[380px_minmax(0,1fr)]">
        <ChatPanel projectId={project.id} />
        <ScenesPanel projectId={project.id} />
      </div>
    </div>
  );
}
