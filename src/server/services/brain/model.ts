/**
 * The stand-in for a model: its latency (the slow, lock-free middle of every generation)
 * and its answers, deterministic so tests and demos are repeatable. A real app calls its
 * model here; nothing else in the flow would change.
 */
import { setTimeout as delay } from "node:timers/promises";

import type { SceneAnimation, SceneProps } from "~/lib/scene-props";

/** Stands in for a model call: the slow, lock-free middle of every generation. */
export type ModelCall = (prompt: string) => Promise<void>;

export const simulatedModelCall =
  (latencyMs: number): ModelCall =>
  async () => {
    if (latencyMs > 0) await delay(latencyMs);
  };

const colours: Record<string, string> = {
  red: "#dc2626",
  orange: "#ea580c",
  yellow: "#facc15",
  gold: "#ca8a04",
  green: "#16a34a",
  teal: "#0d9488",
  blue: "#2563eb",
  navy: "#1e3a8a",
  purple: "#7c3aed",
  pink: "#db2777",
  black: "#0a0a0a",
  white: "#fafafa",
  gray: "#6b7280",
  grey: "#6b7280",
};

const animations: Record<string, SceneAnimation> = {
  fade: "fade",
  fades: "fade",
  slide: "slide",
  slides: "slide",
  zoom: "zoom",
  zooms: "zoom",
  static: "none",
};

const durations: Record<string, number> = { fast: 60, quick: 60, slow: 180 };

const words = (prompt: string) => prompt.toLowerCase().match(/[a-z]+/g) ?? [];
const firstMatch = <T>(prompt: string, table: Record<string, T>) =>
  words(prompt).map((word) => table[word]).find((value) => value !== undefined);

/** The first 'single', "double" or “curly” quoted phrase in the prompt. */
export function quotedPhrase(prompt: string): string | undefined {
  return /["“]([^"”]+)["”]|'([^']+)'/.exec(prompt)?.slice(1).find(Boolean)?.trim().slice(0, 120) || undefined;
}

function readableTextOn(hex: string) {
  const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
  return 0.299 * (r ?? 0) + 0.587 * (g ?? 0) + 0.114 * (b ?? 0) > 150 ? "#0f172a" : "#f8fafc";
}

function titleFromPrompt(prompt: string) {
  const text = prompt.replace(/\s+/g, " ").trim().slice(0, 60);
  return text.charAt(0).toUpperCase() + text.slice(1) || "Untitled scene";
}

/** The props a prompt asks to change, and only those. */
export function scenePatchFromPrompt(prompt: string): Partial<SceneProps> {
  const backgroundColor = firstMatch(prompt, colours);
  const animation = firstMatch(prompt, animations);
  const durationFrames = firstMatch(prompt, durations);
  const title = quotedPhrase(prompt);
  return {
    ...(backgroundColor && { backgroundColor, textColor: readableTextOn(backgroundColor) }),
    ...(animation && { animation }),
    ...(durationFrames && { durationFrames }),
    ...(title && { title }),
  };
}

/** Props for a new scene: deterministic, so tests and demos are repeatable. */
export function generateSceneProps(prompt: string): SceneProps {
  const backgroundColor = "#1e293b";
  return {
    backgroundColor,
    textColor: readableTextOn(backgroundColor),
    title: titleFromPrompt(prompt),
    subtitle: "",
    animation: "fade",
    durationFrames: 120,
    ...scenePatchFromPrompt(prompt),
  };
}
