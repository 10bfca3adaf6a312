import { describe, expect, it } from "vitest";

import { scenePropsSchema } from "~/lib/scene-props";
import {
  generateSceneProps,
  quotedPhrase,
  scenePatchFromPrompt,
} from "~/server/services/brain/model";

describe("generateSceneProps", () => {
  it("reads colour, quoted title, speed and animation from the prompt", () => {
    expect(generateSceneProps("A slow blue scene that slides in, titled \"Our story\"")).toEqual({
      backgroundColor: "#2563eb",
      textColor: "#f8fafc",
      title: "Our story",
      subtitle: "",
      animation: "slide",
      durationFrames: 180,
    });
  });

  it("falls back to a title from the prompt and valid defaults", () => {
    const props = generateSceneProps("  a calm opening  ");
    expect(props).toMatchObject({ title: "A calm opening", animation: "fade", durationFrames: 120 });
    expect(scenePropsSchema.safeParse(props).success).toBe(true);
  });

  it("picks dark text on light backgrounds", () => {
    expect(generateSceneProps("a yellow card").textColor).toBe("#0f172a");
    expect(generateSceneProps("a navy card").textColor).toBe("#f8fafc");
  });

  it("is deterministic", () => {
    const prompt = "fast pink zoom 'Hello'";
    expect(generateSceneProps(prompt)).toEqual(generateSceneProps(prompt));
  });
});

describe("scenePatchFromPrompt", () => {
  it("returns only what the prompt mentions", () => {
    expect(scenePatchFromPrompt("make scene 2 blue")).toEqual({ backgroundColor: "#2563eb", textColor: "#f8fafc" });
    expect(scenePatchFromPrompt("change the title of scene 1 to 'Launch'")).toEqual({ title: "Launch" });
    expect(scenePatchFromPrompt("scene 3 please")).toEqual({});
  });

  it.each([
    [`call it "Launch"`, "Launch"],
    [`call it 'Launch'`, "Launch"],
    ["call it “Launch”", "Launch"],
    ["no quotes here", undefined],
  ])("quotedPhrase(%s)", (prompt, expected) => {
    expect(quotedPhrase(prompt)).toBe(expected);
  });
});
