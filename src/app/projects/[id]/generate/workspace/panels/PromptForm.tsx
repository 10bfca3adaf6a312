"use client";

import { useId, type KeyboardEvent, type ReactNode } from "react";

export interface PromptFormProps {
  text: string;
  onTextChange: (text: string) => void;
  /** Enter or the button; the text is not empty. */
  onSubmit: () => void;
  error: string | null;
  hint: ReactNode;
  sending: boolean;
}

/** The prompt box and its Generate button; what a send does is the caller's. */
export function PromptForm({ text, onTextChange, onSubmit, error, hint, sending }: PromptFormProps) {
  const hintId = useId();
  const errorId = useId();

  function submit() {
    if (text.trim() !== "") onSubmit();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key !== "Enter" || event.shiftKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    submit();
  }

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
      className="border-t border-slate-200 p-3"
    >
      <textarea
        name="prompt"
        aria-label="Prompt"
        aria-describedby={error ? `${hintId} ${errorId}` : hintId}
        aria-invalid={error ? true : undefined}
        rows={3}
        value={text}
        onChange={(event) => onTextChange(event.target.value)}
        onKeyDown={onKeyDown}
        placeholder="Describe a scene…"
        className="w-full resize-none rounded-lg border border-slate-300 px-3 py-2 text-sm placeholder:text-slate-500 focus:border-slate-500"
      />
      {error && (
        <p id={errorId} role="alert" data-testid="composer-error" className="mt-1 text-sm text-red-700">
          Could not send: {error}
        </p>
      )}
      <div className="mt-2 flex items-center justify-between gap-3">
        <p id={hintId} className="text-xs text-slate-500" aria-live="polite">
          {sending ? "Generating…" : hint}
        </p>
        {/* Deliberately not disabled while sending: a double-click must reach the server
            twice, so the requestId (not the button) is what keeps it one exchange. */}
        <button
          type="submit"
          data-testid="send"
          disabled={text.trim() === ""}
          aria-busy={sending}
          className="rounded-lg bg-slate-900 px-4 py-2 text-sm font-medium text-white hover:bg-slate-700 disabled:cursor-not-allowed disabled:opacity-50"
        >
          Generate
        </button>
      </div>
    </form>
  );
}

interface SendFailure {
  message: string;
  data?: { zodError?: { formErrors: string[]; fieldErrors: Record<string, string[] | undefined> } | null } | null;
}

/** A validation failure's own words ("A prompt can be at most 2000 characters"), else the message. */
export function readableError(failure: SendFailure): string {
  const zod = failure.data?.zodError;
  const fromZod = zod ? [...Object.values(zod.fieldErrors).flat(), ...zod.formErrors].find(Boolean) : undefined;
  return fromZod ?? failure.message;
}
