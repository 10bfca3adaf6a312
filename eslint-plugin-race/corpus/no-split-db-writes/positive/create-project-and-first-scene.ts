// A tRPC mutation creates a project and its first scene with two statements on ctx.db:
// if the second insert fails, the user has a project with no scene, and the project list
// polls in between and shows it empty.
import { projects, scenes } from "../../_support/schema";
import { createTRPCRouter, protectedProcedure, z } from "../../_support/trpc";

export const projectRouter = createTRPCRouter({
  create: protectedProcedure.input(z.object({ title: z.string().min(1) })).mutation(async ({ ctx, input }) => {
    const [project] = await ctx.db.insert(projects).values({ ownerId: ctx.userId, title: input.title }).returning();
    if (!project) throw new Error("insert returned no row");
    await ctx.db.insert(scenes).values({ projectId: project.id, order: 0, kind: "welcome", name: "Welcome" }); // expect: race/no-split-db-writes
    return project;
  }),
});
