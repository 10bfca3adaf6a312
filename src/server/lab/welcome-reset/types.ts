import type { SceneProps } from "~/lib/scene-props";
import type { Database } from "~/server/db";
import type { Message, Project, Scene } from "~/server/db/schema";

export interface LabApplyRequest {
  db: Database;
  userId: string;
  projectId: string;
  assistantMessageId: string;
  props: SceneProps;
  /** The project as read when the request started (only the naive strategy decides from it). */
  projectAtStart: Project;
}

export type LabApply = (request: LabApplyRequest) => Promise<{ assistantMessage: Message; scene: Scene | null }>;
