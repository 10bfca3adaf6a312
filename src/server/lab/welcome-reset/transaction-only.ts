/**
 * ❌ BROKEN ON PURPOSE (Race Lab). The design note's proposed fix: the same writes
 * wrapped in `db.transaction`, still deciding from a plain SELECT. Under READ COMMITTED
 * both requests read `isWelcome = true`; B's UPDATE waits for A's commit, then B's
 * DELETE (a new statement, a new snapshot) removes the scene A committed. A transaction
 * makes writes atomic; it does not make a read-then-write decision atomic.
 */
import { eq } from "drizzle-orm";

import { projects, scenes } from "~/server/db/schema";
import { completeExchange } from "~/server/services/generation/exchange";
import { insertSceneAtEnd } from "~/server/services/scenes";
import type { LabApply } from "./types";

export const applyTransactionOnly: LabApply = ({ db, projectId, assistantMessageId, props }) =>
  db.transaction(async (tx) => {
    const [project] = await tx.select().from(projects).where(eq(projects.id, projectId));
    if (project?.isWelcome) {
      await tx.update(projects).set({ isWelcome: false }).where(eq(projects.id, projectId));
      await tx.delete(scenes).where(eq(scenes.projectId, projectId));
    }
    const scene = await insertSceneAtEnd(tx, projectId, props);
    const assistantMessage = await completeExchange(tx, assistantMessageId, {
      scene,
      reply: `Added a scene: “${props.title}”.`,
    });
    return { assistantMessage, scene };
  });
