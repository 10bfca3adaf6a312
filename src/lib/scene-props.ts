import { z } from "zod";

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
  title: z.string().trim().min(1).max(120),
  subtitle: z.string().trim().max(240),
  animation: z.enum(sceneAnimations),
  durationFrames: z.number().int().min(15).max(1800),
});

export type SceneProps = z.infer<typeof scenePropsSchema>;

export const FRAMES_PER_SECOND = 30;

export const welcomeSceneProps: SceneProps = {
  backgroundColor: "#0f172a",
  textColor: "#f8fafc",
  title: "Welcome to your video",
  subtitle: "Describe a scene in the chat and it will replace this one.",
  animation: "fade",
  durationFrames: 90,
};
