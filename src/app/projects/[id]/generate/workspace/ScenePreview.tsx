import type { CSSProperties } from "react";

import { FRAMES_PER_SECOND, type SceneAnimation, type SceneProps } from "~/lib/scene-props";

const animationClass: Record<SceneAnimation, string> = {
  none: "",
  fade: "animate-scene-fade",
  slide: "animate-scene-slide",
  zoom: "animate-scene-zoom",
};

/** A 16:9 live preview of one scene, looping once per scene duration. */
export function ScenePreview({ props }: { props: SceneProps }) {
  const seconds = props.durationFrames / FRAMES_PER_SECOND;

  return (
    <div
      role="img"
      aria-label={`Preview: ${props.title}${props.subtitle ? ` — ${props.subtitle}` : ""}`}
      className="@container relative aspect-video w-full overflow-hidden rounded-lg"
      style={{ backgroundColor: props.backgroundColor, color: props.textColor }}
    >
      <div
        data-animation={props.animation}
        className={`flex h-full flex-col items-center justify-center gap-[2cqw] px-[8cqw] text-center ${animationClass[props.animation]}`}
        style={{ "--scene-duration": `${seconds}s` } as CSSProperties}
      >
        <p className="text-[6cqw] leading-tight font-semibold text-balance">{props.title}</p>
        {props.subtitle && <p className="text-[3cqw] leading-snug opacity-85 text-balance">{props.subtitle}</p>}
      </div>
    </div>
  );
}
