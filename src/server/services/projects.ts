import { TRPCError } from "@trpc/server";
import { and, count, desc, eq } from "drizzle-orm";

import { welcomeSceneProps } from "~/lib/scene-props";
import type { Database } from "~/server/db";
import { projects, scenes, users, type Project } from "~/server/db/schema";
import { withTransaction, type Transaction } from "~/server/db/tx";

const ownedProject = (userId: string, projectId: string) =>
  and(eq(projects.id, projectId), eq(projects.ownerId, userId));

/** The project if `userId` owns it; NOT_FOUND otherwise, so ids of others leak nothing. */
export async function requireOwnedProject(db: Database, userId: string, projectId: string): Promise<Project> {
  const [project] = await db
    .select()
    .from(projects)
    .where(ownedProject(userId, projectId));
  if (!project) throw new TRPCError({ code: "NOT_FOUND", message: "Project not found" });
  return project;
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
  if (!project) throw new TRPCError({ code: "NOT_FOUND", message: "Project not found" });
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

/** A new project starts as a welcome project with exactly one welcome scene at order 0. */
export async function createWelcomeProject(db: Database, userId: string, title: string) {
  return withTransaction(db, async (tx) => {
    await tx.insert(users).values({ id: userId }).onConflictDoNothing();
    const [project] = await tx.insert(projects).values({ ownerId: userId, title }).returning();
    if (!project) throw new Error("insert into projects returned no row");
    await tx.insert(scenes).values({
      projectId: project.id,
      kind: "welcome",
      order: 0,
      name: "Welcome",
      props: welcomeSceneProps,
    });
    return project;
  });
}
