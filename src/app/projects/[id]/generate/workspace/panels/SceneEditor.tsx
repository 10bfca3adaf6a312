"use client";

import { useId, useState, type ReactNode } from "react";
import { z } from "zod";

import {
  FRAMES_PER_SECOND,
  sceneAnimations,
  scenePropsSchema,
  type ScenePatch,
  type SceneProps,
} from "~/lib/scene-props";
import { api, type RouterOutputs } from "~/trpc/react";

type Scene = RouterOutputs["generation"]["getProjectScenes"][number];

const conflictSchema = z.object({ version: z.number(), props: scenePropsSchema });
type Conflict = z.infer<typeof conflictSchema>;

const fieldLabels: Record<keyof SceneProps, string> = {
  title: "Title",
  subtitle: "Subtitle",
  backgroundColor: "Background",
  textColor: "Text colour",
  animation: "Animation",
  durationFrames: "Duration (frames)",
};

function diff(base: SceneProps, draft: SceneProps): ScenePatch {
  const keys = Object.keys(draft) as (keyof SceneProps)[];
  return Object.fromEntries(keys.filter((key) => draft[key] !== base[key]).map((key) => [key, draft[key]]));
}

/**
 * Edits a scene at the version it was opened with. A save that finds a newer version
 * gets CONFLICT: we show what changed and let the user re-apply their change on top
 * of the current scene, or drop it. Nothing is overwritten without the user choosing.
 */
export function SceneEditor({ scene, onDone, onDraft }: { scene: Scene; onDone: () => void; onDraft: (props: SceneProps) => void }) {
  const [base] = useState({ version: scene.version, props: scene.props });
  const [draft, setDraft] = useState<SceneProps>(scene.props);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [error, setError] = useState<string | null>(null);
  const utils = api.useUtils();
  const formId = useId();

  const save = api.scene.update.useMutation({
    onSuccess: () => {
      onDone();
    },
    onError: (failure) => {
      const current = conflictSchema.safeParse(failure.data?.conflict);
      if (failure.data?.code === "CONFLICT" && current.success) setConflict(current.data);
      else setError(failure.message);
    },
    onSettled: () => utils.generation.getProjectScenes.invalidate({ projectId: scene.projectId }),
  });

  const patch = diff(base.props, draft);
  const update = (next: Partial<SceneProps>) => {
    const props = { ...draft, ...next };
    setDraft(props);
    onDraft(props);
  };
  const submit = (expectedVersion: number) => {
    setError(null);
    setConflict(null);
    save.mutate({ sceneId: scene.id, expectedVersion, patch });
  };

  return (
    <form
      data-testid="scene-editor"
      aria-label={`Edit ${scene.name}`}
      onSubmit={(event) => {
        event.preventDefault();
        submit(base.version);
      }}
      className="mt-3 space-y-3 border-t border-slate-200 pt-3 text-sm"
    >
      <div className="grid grid-cols-2 gap-3">
        <Field label="Title" wide>
          <input value={draft.title} onChange={(event) => update({ title: event.target.value })} className={inputClass} />
        </Field>
        <Field label="Subtitle" wide>
          <input
            value={draft.subtitle}
            onChange={(event) => update({ subtitle: event.target.value })}
            className={inputClass}
          />
        </Field>
        <Field label="Background">
          <input
            type="color"
            value={draft.backgroundColor}
            onChange={(event) => update({ backgroundColor: event.target.value })}
            className={colorClass}
          />
        </Field>
        <Field label="Text colour">
          <input
            type="color"
            value={draft.textColor}
            onChange={(event) => update({ textColor: event.target.value })}
            className={colorClass}
          />
        </Field>
        <Field label="Animation">
          <select
            value={draft.animation}
            onChange={(event) => update({ animation: event.target.value as SceneProps["animation"] })}
            className={inputClass}
          >
            {sceneAnimations.map((animation) => (
              <option key={animation} value={animation}>
                {animation}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Duration (s)">
          <input
            type="number"
            min={0.5}
            max={60}
            step={0.5}
            value={draft.durationFrames / FRAMES_PER_SECOND}
            onChange={(event) => update({ durationFrames: Math.round(Number(event.target.value) * FRAMES_PER_SECOND) })}
            className={inputClass}
          />
        </Field>
      </div>

      {error && (
        <p role="alert" className="text-red-700">
          Could not save: {error}
        </p>
      )}

      {conflict && (
        <ConflictNotice
          id={`${formId}-conflict`}
          mine={patch}
          base={base.props}
          current={conflict}
          onReapply={() => submit(conflict.version)}
          onDiscard={onDone}
          pending={save.isPending}
        />
      )}

      {!conflict && (
        <div className="flex justify-end gap-2">
          <button type="button" onClick={onDone} className="rounded-md px-3 py-1.5 font-medium text-slate-700 hover:bg-slate-100">
            Cancel
          </button>
          <button
            type="submit"
            data-testid="save-scene"
            disabled={save.isPending || Object.keys(patch).length === 0}
            className="rounded-md bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700 disabled:opacity-50"
          >
            {save.isPending ? "Saving…" : "Save"}
          </button>
        </div>
      )}
    </form>
  );
}

const inputClass = "mt-1 w-full rounded-md border border-slate-300 px-2 py-1.5";
const colorClass = "mt-1 block h-9 w-full rounded-md border border-slate-300";

function Field({ label, wide, children }: { label: string; wide?: boolean; children: ReactNode }) {
  return (
    <label className={`${wide ? "col-span-2 " : ""}block`}>
      <span className="text-slate-700">{label}</span>
      {children}
    </label>
  );
}

function ConflictNotice(props: {
  id: string;
  mine: ScenePatch;
  base: SceneProps;
  current: Conflict;
  onReapply: () => void;
  onDiscard: () => void;
  pending: boolean;
}) {
  const { id, mine, base, current, onReapply, onDiscard, pending } = props;
  const theirs = diff(base, current.props);
  const keys = [...new Set([...Object.keys(theirs), ...Object.keys(mine)])] as (keyof SceneProps)[];

  return (
    <div role="alert" aria-labelledby={id} data-testid="scene-conflict" className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-amber-950">
      <p id={id} className="font-semibold">
        Someone else changed this scene while you were editing (now version {current.version}).
      </p>
      <p className="mt-1">Nothing was saved. Here is what differs from the version you opened:</p>
      <table className="mt-2 w-full text-left text-xs">
        <thead>
          <tr>
            <th className="py-1 font-medium">Field</th>
            <th className="py-1 font-medium">Now saved</th>
            <th className="py-1 font-medium">Your change</th>
          </tr>
        </thead>
        <tbody>
          {keys.map((key) => (
            <tr key={key} data-field={key} className="border-t border-amber-200">
              <td className="py-1 pr-2">{fieldLabels[key]}</td>
              <td className="py-1 pr-2">{String(current.props[key])}</td>
              <td className="py-1">{key in mine ? String(mine[key]) : "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="mt-3 flex flex-wrap justify-end gap-2">
        <button type="button" onClick={onDiscard} className="rounded-md px-3 py-1.5 font-medium hover:bg-amber-100">
          Discard my change
        </button>
        <button
          type="button"
          data-testid="reapply"
          disabled={pending}
          onClick={onReapply}
          className="rounded-md bg-amber-900 px-3 py-1.5 font-medium text-white hover:bg-amber-800 disabled:opacity-50"
        >
          Reload and re-apply my change
        </button>
      </div>
    </div>
  );
}
