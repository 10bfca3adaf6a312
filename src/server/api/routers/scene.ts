import { z } from "zod";

import { versionSchema } from "~/lib/inputs";
import { scenePatchSchema } from "~/lib/scene-props";
import { createTRPCRouter, userProcedure } from "~/server/api/trpc";
import { withLockTurn } from "~/server/db/tx";
import { DomainError } from "~/server/services/errors";
import { patchSceneVersioned, requireOwnedScene, sceneLockKey } from "~/server/services/scenes";

export const sceneRouter = createTRPCRouter({
  /**
   * Saves a manual edit only if the scene is still at the version the editor loaded.
   * Otherwise CONFLICT, with the current scene in `error.data.conflict`.
   */
  update: userProcedure
    .input(
      z.object({
        sceneId: z.uuid(),
        expectedVersion: versionSchema,
        patch: scenePatchSchema,
      }),
    )
    .mutation(async ({ ctx, input: { sceneId, expectedVersion, patch } }) => {
      const { projectId } = await requireOwnedScene(ctx.db, ctx.userId, sceneId);
      const updated = await withLockTurn(ctx.db, sceneLockKey(sceneId), () =>
        patchSceneVersioned(ctx.db, { projectId, sceneId, expectedVersion, patch }),
      );
      if (updated) return updated;

      const current = await requireOwnedScene(ctx.db, ctx.userId, sceneId);
      throw new DomainError(
        "version-conflict",
        `This scene was changed (now version ${current.version}) since you loaded version ${expectedVersion}.`,
        { version: current.version, props: current.props, updatedAt: current.updatedAt },
      );
    }),
});
