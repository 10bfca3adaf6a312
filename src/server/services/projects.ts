import { and, asc, count, desc, eq } from "drizzle-orm";

import { welcomeSceneProps } from "~/lib/scene-props";
import type { Database } from "~/server/db";
import { projects, scenes, users, type Project, type Scene } from "~/server/db/schema";
import { withTransaction, type Executor, type Transaction } from "~/server/db/tx";
import { DomainError, notFound } from "~/server/services/errors";

/** The lock queue's key for the project row (src/server/db/lock-queue.ts). */
export const projectLockKey = (projectId: string) => `projects:${projectId}`;

/** The project, if it is this user's (one condition for reads and locks alike). */
export const ownedProject = (userId: string, projectId: string) =>
  and(eq(projects.id, projectId), eq(projects.ownerId, userId));

/** The project if `userId` owns it; NOT_FOUND otherwise, so ids of others leak nothing. */
export async function requireOwnedProject(db: Database, userId: string, projectId: string): Promise<Project> {
  const [project] = await db
    .select()
    .from(projects)
    .where(ownedProject(userId, projectId));
  if (!project) throw notFound("Project");
  return project;
}

/** The project if `userId` owns it, with its scenes in order, in one statement; NOT_FOUND otherwise. */
export async function readProjectWithScenes(
  executor: Executor,
  userId: string,
  projectId: string,
): Promise<{ project: Project; scenes: Scene[] }> {
  const rows = await executor
    .select({ project: projects, scene: scenes })
    .from(projects)
    .leftJoin(scenes, eq(scenes.projectId, projects.id))
    .where(ownedProject(userId, projectId))
    .orderBy(asc(scenes.order));
  const [first] = rows;
  if (!first) throw notFound("Project");
  return { project: first.project, scenes: rows.flatMap(({ scene }) => (scene ? [scene] : [])) };
}

/**
 * Locks the project row (`SELECT … FOR UPDATE`) for the rest of the transaction and
 * returns it as it is now. Decide from this row, not from one read earlier: that is
 * what makes the decision and the writes atomic. See docs/patterns/welcome-reset.md.
 */
export async function lockProject(tx: Transaction, userId: string, projectId: string): Promise<Project> {
  const [project] = await tx
    .select()
    .from(projects)
    .where(ownedProject(userId, projectId))
    .for("update");
  if (!project) throw notFound("Project");
  return project;
}

export async function listProjects(db: Database, userId: string) {
  return db
    .select({
      id: projects.id,
      title: projects.title,
      isWelcome: projects.isWelcome,
      createdAt: projects.createdAt,
      updatedAt: projects.updatedAt,
      sceneCount: count(scenes.id),
    })
    .from(projects)
    .leftJoin(scenes, eq(scenes.projectId, projects.id))
    .where(eq(projects.ownerId, userId))
    .groupBy(projects.id)
    .orderBy(desc(projects.createdAt));
}

/** A requestId names one intended creation: reusing it with another title is refused (HTTP 422). */
export const PROJECT_REQUEST_ID_REUSED =
  "This requestId was already used to create a project with another title. Create it with a new requestId.";

export type CreatedProject = Project & {
  /** True when this call repeated an earlier requestId: it created nothing and answers that project. */
  replayed: boolean;
};

/**
 * A new project starts as a welcome project with exactly one welcome scene at order 0.
 *
 * With a `requestId` (client-minted, one per intended creation) it is idempotent,
 * claim-first: the INSERT … ON CONFLICT (owner_id, request_id) DO NOTHING RETURNING is
 * the decision. A concurrent repeat waits on the unique index until the first commits,
 * then gets no row and answers the project the first one made (`replayed: true`); there
 * is no "in flight" state to report, since the claim and the whole creation are one
 * transaction. The same requestId with another title is refused (UNPROCESSABLE_CONTENT).
 * Without a requestId every call creates a project.
 */
export async function createWelcomeProject(
  db: Database,
  userId: string,
  title: string,
  requestId?: string,
): Promise<CreatedProject> {
  return withTransaction(
    db,
    async (tx) => {
      await tx.insert(users).values({ id: userId }).onConflictDoNothing();
      const [project] = await tx
        .insert(projects)
        .values({ ownerId: userId, title, requestId })
        .onConflictDoNothing({ target: [projects.ownerId, projects.requestId] })
        .returning();
      if (!project) return existingCreation(tx, userId, title, requestId);
      await tx.insert(scenes).values({
        projectId: project.id,
        kind: "welcome",
        order: 0,
        name: "Welcome",
        props: welcomeSceneProps,
      });
      return { ...project, replayed: false };
    },
    { lockKey: `users:${userId}` },
  );
}

async function existingCreation(
  tx: Transaction,
  userId: string,
  title: string,
  requestId: string | undefined,
): Promise<CreatedProject> {
  if (requestId === undefined) throw new Error("insert into projects returned no row");
  const [project] = await tx
    .select()
    .from(projects)
    .where(and(eq(projects.ownerId, userId), eq(projects.requestId, requestId)));
  if (!project) throw new Error(`project for request ${requestId} is missing after its conflict`);
  if (project.title !== title) throw new DomainError("request-id-reused", PROJECT_REQUEST_ID_REUSED);
  return { ...project, replayed: true };
}
