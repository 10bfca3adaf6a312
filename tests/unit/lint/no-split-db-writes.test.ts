import rule from "../../../eslint-plugin-race/rules/no-split-db-writes.js";
import { code, createRuleTester, lineOf, sourceOf } from "./rule-tester";

// The design note's welcome reset (race-conditions-explained.md §1), as written there.
const noteWelcomeReset = code`
  async function generate(project: { isWelcome: boolean }, projectId: string) {
    // ❌ RACE CONDITION: Two separate database operations
    if (project.isWelcome) {
      await db.update(projects)
        .set({ isWelcome: false })      // ⚠️ Operation #1
        .where(eq(projects.id, projectId));

      await db.delete(scenes)           // ⚠️ Operation #2
        .where(eq(scenes.projectId, projectId));
    }
  }
`;

const labNaive = sourceOf("src/server/lab/welcome-reset/naive.ts");

const tRPCProcedure = code`
  export const projectRouter = createTRPCRouter({
    create: protectedProcedure.mutation(async ({ ctx, input }) => {
      const [project] = await ctx.db.insert(projects).values({ ownerId: ctx.userId, title: input.title }).returning();
      await ctx.db.insert(scenes).values({ projectId: project!.id, kind: "welcome", order: 0 });
      return project;
    }),
  });
`;

const threeWrites = code`
  async function archive(id: string) {
    await getDb().update(projects).set({ archived: true }).where(eq(projects.id, id));
    await getDb().delete(scenes).where(eq(scenes.projectId, id));
    await getDb().insert(audit).values({ projectId: id, action: "archive" });
  }
`;

const topLevelScript = code`
  await db.delete(messages).where(eq(messages.projectId, id));
  await db.delete(scenes).where(eq(scenes.projectId, id));
`;

const customHandleName = code`
  async function reset(database: Database, id: string) {
    await database.update(projects).set({ isWelcome: false }).where(eq(projects.id, id));
    await database.delete(scenes).where(eq(scenes.projectId, id));
  }
`;

createRuleTester().run("race/no-split-db-writes", rule, {
  valid: [
    {
      name: "the design note's fix: both writes inside db.transaction on tx",
      code: code`
        await db.transaction(async (tx) => {
          await tx.update(projects).set({ isWelcome: false }).where(eq(projects.id, projectId));
          await tx.delete(scenes).where(eq(scenes.projectId, projectId));
        });
      `,
    },
    {
      name: "this app's apply.ts: a locked transaction and a helper that writes on tx",
      code: sourceOf("src/server/services/generation/apply.ts"),
    },
    {
      name: "this app's exchange.ts: one write on db per function",
      code: sourceOf("src/server/services/generation/exchange.ts"),
    },
    {
      name: "this app's generate-scene.ts: steps are helper calls, each its own transaction",
      code: sourceOf("src/server/services/generation/generate-scene.ts"),
    },
    {
      name: "writes in different functions are counted separately (a nested function is its own)",
      code: code`
        async function outer(id: string) {
          await db.insert(audit).values({ id });
          const later = async () => {
            await db.delete(audit).where(eq(audit.id, id));
          };
          return later;
        }
      `,
    },
    {
      name: "a read and one write",
      code: code`
        async function touch(id: string) {
          const [row] = await db.select().from(projects).where(eq(projects.id, id));
          await db.update(projects).set({ updatedAt: new Date() }).where(eq(projects.id, row!.id));
        }
      `,
    },
    {
      name: "update/delete on things that are not the db handle",
      code: code`
        async function f(key: string) {
          await cache.delete(key);
          await cache.delete(key + ":meta");
          await store.update(key, 1);
          const digest = createHash("sha256").update(key).digest("hex");
          return digest;
        }
      `,
    },
    {
      name: "writes on tx outside a recognised transaction callback are not root-handle writes",
      code: code`
        async function helper(tx: Transaction, id: string) {
          await tx.update(messages).set({ sceneId: null }).where(eq(messages.sceneId, id));
          await tx.delete(scenes).where(eq(scenes.id, id));
        }
      `,
    },
    {
      name: "a root-handle write inside a transaction is race/no-outer-db-in-transaction's, not a split",
      code: code`
        await db.transaction(async (tx) => {
          await tx.update(projects).set({ isWelcome: false }).where(eq(projects.id, projectId));
          await db.delete(scenes).where(eq(scenes.projectId, projectId));
        });
      `,
    },
    {
      name: "writes in the two branches of one if, of a ternary, and in separate switch cases",
      code: code`
        async function settle(id: string, ok: boolean) {
          if (ok) await db.update(jobs).set({ status: "done" }).where(eq(jobs.id, id));
          else await db.update(jobs).set({ status: "failed" }).where(eq(jobs.id, id));
        }
        async function audit(id: string, ok: boolean) {
          return ok ? await db.insert(audit).values({ id }) : await db.delete(audit).where(eq(audit.id, id));
        }
        async function notify(id: string, kind: "a" | "b") {
          switch (kind) {
            case "a":
              await db.insert(notifications).values({ id });
              break;
            case "b":
              await db.delete(notifications).where(eq(notifications.id, id));
          }
        }
      `,
    },
    {
      name: "a write followed by return or throw, and a write in try vs one in catch",
      code: code`
        async function save(id: string, all: boolean) {
          if (all) {
            await db.update(items).set({ done: true });
            return;
          }
          try {
            await db.update(items).set({ done: true }).where(eq(items.id, id));
          } catch (error) {
            await db.insert(failures).values({ id });
            throw error;
          }
        }
      `,
    },
    {
      name: "two status writes to one row around long work are phases, not one unit",
      code: code`
        async function run(job: { id: string }) {
          await db.update(jobs).set({ status: "running" }).where(eq(jobs.id, job.id));
          const result = await runTheJob(job);
          await db.update(jobs).set({ status: "done", result }).where(eq(jobs.id, job.id));
        }
      `,
    },
    {
      name: "separate ifs on one value against different constants",
      code: code`
        async function onEvent(kind: string, id: string) {
          if (kind === "signup") await db.insert(notifications).values({ id });
          if (kind === "login") await db.insert(audit).values({ id });
        }
      `,
    },
    {
      name: "known false negative: concurrent writes through Promise.all are not awaited one by one",
      code: code`
        async function reset(id: string) {
          await Promise.all([
            db.update(projects).set({ isWelcome: false }).where(eq(projects.id, id)),
            db.delete(scenes).where(eq(scenes.projectId, id)),
          ]);
        }
      `,
    },
  ],
  invalid: [
    {
      name: "the design note's welcome reset: update then delete with separate awaits, decided by a flag",
      code: noteWelcomeReset,
      errors: [
        {
          messageId: "splitDecidedWrites",
          line: lineOf(noteWelcomeReset, "await db.delete(scenes)"),
          data: { method: "delete", handle: "db", firstMethod: "update", firstLine: String(lineOf(noteWelcomeReset, "await db.update")), guard: "project.isWelcome" },
        },
      ],
    },
    {
      name: "the lab's naive.ts",
      code: labNaive,
      errors: [{ messageId: "splitDecidedWrites", line: lineOf(labNaive, "await db.delete(scenes)") }],
    },
    {
      name: "ctx.db in a tRPC procedure: project and its first scene created separately",
      code: tRPCProcedure,
      errors: [
        {
          messageId: "splitWrites",
          line: lineOf(tRPCProcedure, "await ctx.db.insert(scenes)"),
          data: { method: "insert", handle: "ctx.db", firstMethod: "insert", firstLine: "3", guard: "" },
        },
      ],
    },
    {
      name: "getDb() handle, three writes: the second and third are reported",
      code: threeWrites,
      errors: [
        { messageId: "splitWrites", line: lineOf(threeWrites, "getDb().delete") },
        { messageId: "splitWrites", line: lineOf(threeWrites, "getDb().insert") },
      ],
    },
    {
      name: "top-level awaits in a script",
      code: topLevelScript,
      errors: [{ messageId: "splitWrites", line: 2 }],
    },
    {
      name: "a write after an if that wrote, and a write in finally after one in try, both run",
      code: code`
        async function accept(invite: Invite, isNew: boolean) {
          if (isNew) await db.insert(members).values({ projectId: invite.projectId });
          try {
            await db.update(invites).set({ acceptedAt: new Date() }).where(eq(invites.id, invite.id));
          } finally {
            await db.insert(audit).values({ id: invite.id });
          }
        }
      `,
      errors: [
        { messageId: "splitWrites", line: 4, data: { method: "update", handle: "db", firstMethod: "insert", firstLine: "2", guard: "" } },
        { messageId: "splitWrites", line: 6, data: { method: "insert", handle: "db", firstMethod: "insert", firstLine: "2", guard: "" } },
      ],
    },
    {
      name: "option dbNames: another name for the root handle",
      code: customHandleName,
      options: [{ dbNames: ["database"] }],
      errors: [{ messageId: "splitWrites", line: lineOf(customHandleName, "database.delete") }],
    },
  ],
});
