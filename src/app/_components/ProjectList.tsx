"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useRef } from "react";

import { mintRequestId } from "~/lib/request-id";
import { api, type RouterOutputs } from "~/trpc/react";

type ProjectSummary = RouterOutputs["project"]["list"][number];

export function ProjectList() {
  const [projects] = api.project.list.useSuspenseQuery();
  // One creation for both buttons (the header's replaces the empty state's once the list
  // refetches): the same mutation state and the same requestId.
  const create = useCreateProject();

  return (
    <section aria-labelledby="projects-heading">
      <div className="flex flex-wrap items-center justify-between gap-4">
        <div>
          <h1 id="projects-heading" className="text-2xl font-semibold tracking-tight">
            Your projects
          </h1>
          <p className="mt-1 text-sm text-slate-600">Each project is a short video built from scenes.</p>
        </div>
        {projects.length > 0 && <NewProjectButton create={create} />}
      </div>

      {projects.length === 0 ? (
        <div className="mt-8 rounded-xl border border-dashed border-slate-300 bg-white px-6 py-16 text-center">
          <h2 className="text-lg font-semibold">No projects yet</h2>
          <p className="mt-2 text-sm text-slate-600">
            Create a project, then describe your first scene in the chat.
          </p>
          <div className="mt-6 flex justify-center">
            <NewProjectButton create={create} align="center" />
          </div>
        </div>
      ) : (
        <ul className="mt-8 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {projects.map((project) => (
            <li key={project.id}>
              <ProjectCard project={project} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/**
 * "New project", idempotent: one requestId per intended creation, like the Composer's per
 * composed message. A double-click (or a retry after a lost answer) sends the same id, so
 * the server creates one project and answers it to every click. The id lives as long as
 * this page: after a success the page navigates to the project (and the button stays
 * busy); a failed attempt keeps the id, so trying again cannot create a second project if
 * the first one did reach the database.
 */
function useCreateProject() {
  const router = useRouter();
  const utils = api.useUtils();
  const requestId = useRef<string | null>(null);
  const mutation = api.project.create.useMutation({
    onSuccess: (project) => {
      void utils.project.list.invalidate();
      router.push(`/projects/${project.id}/generate`);
    },
  });
  const create = () => {
    requestId.current ??= mintRequestId();
    mutation.mutate({ requestId: requestId.current });
  };
  return { create, mutation };
}

type CreateProject = ReturnType<typeof useCreateProject>;

function NewProjectButton({ create: { create, mutation }, align = "end" }: { create: CreateProject; align?: "end" | "center" }) {
  const busy = mutation.isPending || mutation.isSuccess;

  return (
    <div className={`flex flex-col gap-2 ${align === "center" ? "items-center" : "items-end"}`}>
      <button
        type="button"
        data-testid="new-project"
        onClick={create}
        disabled={busy}
        aria-busy={busy}
        className="rounded-lg bg-slate-900 px-4 py-2 text-sm font-medium text-white shadow-sm hover:bg-slate-700 disabled:cursor-not-allowed disabled:opacity-60"
      >
        {busy ? "Creating…" : "New project"}
      </button>
      {mutation.error && (
        <p role="alert" className="text-sm text-red-700">
          Could not create the project: {mutation.error.message}
        </p>
      )}
    </div>
  );
}

function ProjectCard({ project }: { project: ProjectSummary }) {
  return (
    <Link
      href={`/projects/${project.id}/generate`}
      data-testid="project-card"
      data-project-id={project.id}
      className="flex h-full flex-col rounded-xl border border-slate-200 bg-white p-5 shadow-sm transition hover:border-slate-300 hover:shadow-md"
    >
      <div className="flex items-start justify-between gap-3">
        <h2 className="line-clamp-2 font-medium text-slate-900">{project.title}</h2>
        {project.isWelcome && (
          <span className="shrink-0 rounded-full bg-sky-100 px-2 py-0.5 text-xs font-medium text-sky-800">
            Welcome
          </span>
        )}
      </div>
      <div className="mt-auto flex items-center justify-between pt-6 text-sm text-slate-600">
        <span>
          {project.sceneCount} {project.sceneCount === 1 ? "scene" : "scenes"}
        </span>
        <time
          dateTime={project.createdAt.toISOString()}
          title={project.createdAt.toISOString()}
          suppressHydrationWarning
        >
          {formatRelative(project.createdAt)}
        </time>
      </div>
    </Link>
  );
}

const relativeTime = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

function formatRelative(date: Date) {
  const seconds = Math.round((date.getTime() - Date.now()) / 1000);
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return relativeTime.format(Math.round(seconds / size), unit);
  }
  return "just now";
}

export function ProjectListSkeleton() {
  return (
    <div aria-busy="true" aria-label="Loading projects">
      <div className="h-8 w-48 animate-pulse rounded bg-slate-200" />
      <div className="mt-8 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {[0, 1, 2].map((i) => (
          <div key={i} className="h-32 animate-pulse rounded-xl bg-slate-200" />
        ))}
      </div>
    </div>
  );
}
