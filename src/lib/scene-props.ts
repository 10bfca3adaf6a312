import { z } from "zod";

import { userText } from "./text";

export const sceneAnimations = ["none", "fade", "slide", "zoom"] as const;
export type SceneAnimation = (typeof sceneAnimations)[number];

const hexColor = z
  .string()
  .trim()
  .regex(/^#[0-9a-fA-F]{6}$/, "must be a hex colour like #1e293b");

/** What a scene renders: validated on every write and read at the edges. */
export const scenePropsSchema = z.object({
  backgroundColor: hexColor,
  textColor: hexColor,
  title: userText().min(1).max(120),
  subtitle: userText().max(240),
  animation: z.enum(sceneAnimations),
  durationFrames: z.number().int().min(15).max(1800),
});

export type SceneProps = z.infer<typeof scenePropsSchema>;

/** A partial edit: at least one prop, each validated like the full schema. */
export const scenePatchSchema = scenePropsSchema
  .partial()
  .strict()
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), "Change at least one property");

export type ScenePatch = z.infer<typeof scenePatchSchema>;

export const FRAMES_PER_SECOND = 30;

export const welcomeSceneProps: SceneProps = {
  backgroundColor: "#0f172a",
  textColor: "#f8fafc",
  title: "Welcome to your video",
  subtitle: "Describe a scene in the chat and it will replace this one.",
  animation: "fade",
  durationFrames: 90,
};
