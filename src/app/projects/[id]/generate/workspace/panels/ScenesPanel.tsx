"use client";

import { useState } from "react";

import { FRAMES_PER_SECOND, type SceneProps } from "~/lib/scene-props";
import { api, type RouterOutputs } from "~/trpc/react";
import { ScenePreview } from "../ScenePreview";
import { CHAT_POLL_MS, latestAssistant, useGenerationBusy } from "./chat-queries";
import { SceneEditor } from "./SceneEditor";

type Scene = RouterOutputs["generation"]["getProjectScenes"][number];
type Message = RouterOutputs["generation"]["getChatMessages"][number];

const latestSceneId = (messages: Message[]) => latestAssistant(messages)?.sceneId ?? null;

export function ScenesPanel({ projectId }: { projectId: string }) {
  // Each send invalidates the scenes when it settles; polling while busy also shows the
  // lab's broken variants adding and then losing a scene.
  const busy = useGenerationBusy(projectId);
  const scenes = api.generation.getProjectScenes.useQuery(
    { projectId },
    { refetchInterval: busy ? CHAT_POLL_MS : false },
  );
  const { data: highlightedId } = api.generation.getChatMessages.useQuery({ projectId }, { select: latestSceneId });

  return (
    <section aria-labelledby="scenes-heading" className="min-w-0">
      <div className="flex items-baseline justify-between">
        <h2 id="scenes-heading" className="text-sm font-semibold">
          Scenes
        </h2>
        {scenes.data && scenes.data.length > 0 && (
          <p className="text-sm text-slate-600">{formatSeconds(totalFrames(scenes.data))} total</p>
        )}
      </div>

      <div className="mt-3">
        {scenes.isPending ? (
          <div aria-busy="true" aria-label="Loading scenes" className="grid gap-4 sm:grid-cols-2">
            {[0, 1].map((i) => (
              <div key={i} className="aspect-video animate-pulse rounded-xl bg-slate-200" />
            ))}
          </div>
        ) : scenes.isError ? (
          <div role="alert" className="rounded-xl bg-red-50 p-4 text-sm text-red-800">
            <p>Could not load the scenes: {scenes.error.message}</p>
            <button
              type="button"
              onClick={() => void scenes.refetch()}
              className="mt-3 rounded-md border border-red-200 bg-white px-3 py-1.5 font-medium hover:bg-red-100"
            >
              Retry
            </button>
          </div>
        ) : scenes.data.length === 0 ? (
          <div className="rounded-xl border border-dashed border-slate-300 bg-white px-6 py-16 text-center">
            <p className="font-medium text-slate-800">No scenes yet</p>
            <p className="mt-1 text-sm text-slate-600">Scenes you generate in the chat appear here.</p>
          </div>
        ) : (
          <ol className="grid gap-4 sm:grid-cols-2">
            {scenes.data.map((scene, index) => (
              <SceneCard
                key={scene.id}
                scene={scene}
                position={index + 1}
                latest={scene.id === highlightedId}
              />
            ))}
          </ol>
        )}
      </div>
    </section>
  );
}

function SceneCard({ scene, position, latest }: { scene: Scene; position: number; latest: boolean }) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState<SceneProps | null>(null);
  const stopEditing = () => {
    setEditing(false);
    setDraft(null);
  };

  return (
    <li
      data-testid="scene-card"
      data-scene-kind={scene.kind}
      data-scene-id={scene.id}
      data-scene-order={scene.order}
      data-latest={latest ? "true" : undefined}
      className={`rounded-xl border bg-white p-3 shadow-sm ${
        latest ? "border-sky-300 ring-2 ring-sky-500/40" : "border-slate-200"
      }`}
    >
      <ScenePreview props={draft ?? scene.props} />
      <div className="mt-3 flex items-center gap-2 px-1 text-sm">
        <span className="grid size-6 shrink-0 place-items-center rounded-full bg-slate-100 text-xs font-semibold text-slate-700">
          <span className="sr-only">Scene </span>
          {position}
        </span>
        <span className="truncate font-medium">{scene.name}</span>
        {scene.kind === "welcome" && (
          <span className="shrink-0 rounded-full bg-sky-100 px-2 py-0.5 text-xs font-medium text-sky-800">
            Welcome
          </span>
        )}
        {latest && (
          <span className="shrink-0 rounded-full bg-sky-600 px-2 py-0.5 text-xs font-medium text-white">
            Latest change
          </span>
        )}
        <span className="ml-auto shrink-0 text-slate-600">{formatSeconds(scene.props.durationFrames)}</span>
        {!editing && (
          <button
            type="button"
            data-testid="edit-scene"
            onClick={() => setEditing(true)}
            className="shrink-0 rounded-md border border-slate-300 px-2 py-0.5 text-xs font-medium text-slate-700 hover:bg-slate-50"
          >
            Edit<span className="sr-only"> scene {position}</span>
          </button>
        )}
      </div>
      {editing && <SceneEditor scene={scene} onDone={stopEditing} onDraft={setDraft} />}
    </li>
  );
}

const totalFrames = (scenes: Scene[]) => scenes.reduce((sum, scene) => sum + scene.props.durationFrames, 0);

function formatSeconds(frames: number) {
  const seconds = frames / FRAMES_PER_SECOND;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)}s`;
}
