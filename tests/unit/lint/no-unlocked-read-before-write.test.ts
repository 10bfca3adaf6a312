import rule from "../../../eslint-plugin-race/rules/no-unlocked-read-before-write.js";
import { code, createRuleTester, lineOf, sourceOf } from "./rule-tester";

// The design note's proposed fix (race-conditions-explained.md §1, "Wrap in database
// transaction"), filled in: the note's `project` was read when the request started,
// before the slow model call, and the transaction only wraps the two writes.
const noteTransactionFix = code`
  async function generate(db: Database, projectId: string, prompt: string) {
    const [project] = await db.select().from(projects).where(eq(projects.id, projectId));
    await callModel(prompt);
    if (project!.isWelcome) {
      // ✅ FIXED: Atomic operation
      await db.transaction(async (tx) => {
        await tx.update(projects).set({ isWelcome: false }).where(eq(projects.id, projectId));
        await tx.delete(scenes).where(eq(scenes.projectId, projectId));
      });
    }
  }
`;

// The same fix with the read moved inside the transaction: the lab's
const labTransactionOnly = sourceOf("src/server/lab/welcome-reset/transaction-only.ts");

const relationalQuery = code`
  await withTransaction(db, async (tx) => {
    const project = await tx.query.projects.findFirst({ where: eq(projects.id, projectId) });
    if (project && project.isWelcome) await tx.update(projects).set({ isWelcome: false }).where(eq(projects.id, projectId));
  });
`;

const derivedValue = code`
  await db.transaction(async (tx) => {
    const [row] = await tx.select({ isWelcome: projects.isWelcome }).from(projects).where(eq(projects.id, id));
    const welcome = row?.isWelcome ?? false;
    if (welcome) {
      await tx.delete(scenes).where(eq(scenes.projectId, id));
    }
  });
`;

const logicalAndTernary = code`
  await db.transaction(async (tx) => {
    const [project] = await tx.select().from(projects).where(eq(projects.id, id));
    project?.isWelcome && (await tx.delete(scenes).where(eq(scenes.projectId, id)));
    return project?.isWelcome ? tx.update(projects).set({ isWelcome: false }).where(eq(projects.id, id)) : null;
  });
`;

const elseBranchAndSwitch = code`
  await db.transaction(async (tx) => {
    const [scene] = await tx.select().from(scenes).where(eq(scenes.id, sceneId));
    if (scene?.kind === "generated") {
      throw new Error("only the welcome scene can be renamed");
    } else {
      await tx.update(scenes).set({ name: "Welcome" }).where(eq(scenes.id, sceneId));
    }
    switch (scene.kind) {
      case "welcome":
        await tx.delete(scenes).where(eq(scenes.id, sceneId));
        break;
    }
  });
`;

const readBeforeTheLock = code`
  await withTransaction(db, async (tx) => {
    const [project] = await tx.select().from(projects).where(eq(projects.id, id));
    await lockProject(tx, userId, id);
    if (project?.isWelcome) await tx.update(projects).set({ isWelcome: false }).where(eq(projects.id, id));
  });
`;

const rawSelect = code`
  await db.transaction(async (trx) => {
    const rows = await trx.execute(sql\`select is_welcome from projects where id = \${id}\`);
    if (rows[0]?.is_welcome) await trx.update(projects).set({ isWelcome: false }).where(eq(projects.id, id));
  });
`;

// The trap with the writes factored into a helper, apply.ts's shape without the lock.
const helperWrite = code`
  export function applyGeneration(db: Database, { projectId, assistantMessageId, plan }: ApplyRequest) {
    return withTransaction(db, async (tx) => {
      const [project] = await tx.select().from(projects).where(eq(projects.id, projectId));
      if (project?.isWelcome) await resetWelcomeScene(tx, projectId);
      const result = await plan.apply(tx, project!);
      return completeExchange(tx, assistantMessageId, result);
    });
  }
`;

createRuleTester().run("race/no-unlocked-read-before-write", rule, {
  valid: [
    {
      name: "this app's apply.ts: decide from lockProject (SELECT … FOR UPDATE), write through a helper",
      code: sourceOf("src/server/services/generation/apply.ts"),
    },
    {
      name: "the same decision inline, with .for('update') on the read",
      code: code`
        await withTransaction(db, async (tx) => {
          const [project] = await tx.select().from(projects).where(eq(projects.id, id)).for("update");
          if (project?.isWelcome) {
            await tx.update(projects).set({ isWelcome: false }).where(eq(projects.id, id));
            await tx.delete(scenes).where(and(eq(scenes.projectId, id), eq(scenes.kind, "welcome")));
          }
        });
      `,
    },
    {
      name: "compare-and-set: the decision is a conditional UPDATE … RETURNING",
      code: sourceOf("src/server/lab/welcome-reset/compare-and-set.ts"),
    },
    {
      name: "this app's claim.ts: insert … on conflict do nothing returning, then an early return",
      code: sourceOf("src/server/services/generation/claim.ts"),
    },
    {
      name: "plain reads after the transaction took a lock are serialized by it",
      code: code`
        await withTransaction(db, async (tx) => {
          await lockProject(tx, userId, projectId);
          const [last] = await tx.select().from(scenes).where(eq(scenes.projectId, projectId));
          if (!last) await tx.insert(scenes).values({ projectId, order: 0 });
        });
      `,
    },
    {
      name: "an advisory transaction lock in raw SQL counts as a lock",
      code: code`
        await db.transaction(async (tx) => {
          await tx.execute(sql\`select pg_advisory_xact_lock(\${key})\`);
          const [row] = await tx.select().from(counters).where(eq(counters.key, key));
          if (!row) await tx.insert(counters).values({ key, value: 1 });
        });
      `,
    },
    {
      name: "raw SQL with FOR UPDATE is a locked read",
      code: code`
        await db.transaction(async (tx) => {
          const rows = await tx.execute(sql\`select is_welcome from projects where id = \${id} for update\`);
          if (rows[0]?.is_welcome) await tx.update(projects).set({ isWelcome: false }).where(eq(projects.id, id));
        });
      `,
    },
    {
      name: "a helper whose name says it reads, called under the guard, is not a write",
      code: code`
        await withTransaction(db, async (tx) => {
          const [project] = await tx.select().from(projects).where(eq(projects.id, id));
          if (project) {
            const storyboard = await listScenes(tx, project.id);
            const owner = await getOwner(tx, project.ownerId);
            return { storyboard, owner };
          }
          return null;
        });
      `,
    },
    {
      name: "option checkHelperCalls: false leaves helper calls alone",
      options: [{ checkHelperCalls: false }],
      code: helperWrite,
    },
    {
      name: "SERIALIZABLE (or REPEATABLE READ) transactions fail the loser with 40001 instead",
      code: code`
        await db.transaction(
          async (tx) => {
            const [project] = await tx.select().from(projects).where(eq(projects.id, id));
            if (project?.isWelcome) await tx.update(projects).set({ isWelcome: false }).where(eq(projects.id, id));
          },
          { isolationLevel: "serializable" },
        );
      `,
    },
    {
      name: "an awaited result computed from the read is a new value, not the read",
      code: code`
        await db.transaction(async (tx) => {
          const [project] = await tx.select().from(projects).where(eq(projects.id, id));
          const scene = await insertSceneAtEnd(tx, project!.id, props);
          if (scene) await tx.update(messages).set({ sceneId: scene.id }).where(eq(messages.id, messageId));
        });
      `,
    },
    {
      name: "a guard on the request's input, not on a read",
      code: code`
        await withTransaction(db, async (tx) => {
          if (input.clearWelcome) await tx.update(projects).set({ isWelcome: false }).where(eq(projects.id, input.id));
        });
      `,
    },
    {
      name: "a write that is the test, not guarded by it",
      code: code`
        await db.transaction(async (tx) => {
          const [row] = await tx.select().from(projects).where(eq(projects.id, id));
          if ((await tx.update(projects).set({ title: row!.title }).where(eq(projects.id, id)).returning()).length === 0) {
            throw new Error("gone");
          }
        });
      `,
    },
    {
      name: "a test that only asks whether the row exists (NOT_FOUND) is not a decision",
      code: code`
        const [project] = await db.select({ id: projects.id }).from(projects).where(eq(projects.id, id));
        if (!project) throw new TRPCError({ code: "NOT_FOUND" });
        await db.update(projects).set({ title }).where(eq(projects.id, project.id));
      `,
    },
    {
      name: "an ownership check (an id field) before the write is authorization, not state",
      code: code`
        const [doc] = await db.select().from(documents).where(eq(documents.id, id));
        if (doc?.ownerId !== userId) throw new TRPCError({ code: "FORBIDDEN" });
        await db.delete(documents).where(eq(documents.id, id));
      `,
    },
    {
      name: "an early exit on one row, then a write on another table",
      code: code`
        const [user] = await db.select().from(users).where(eq(users.id, userId));
        if (user?.isBanned) throw new TRPCError({ code: "FORBIDDEN" });
        await db.update(posts).set({ viewCount: 0 }).where(eq(posts.id, postId));
      `,
    },
    {
      name: "a conditional write: its WHERE repeats the field it was decided on",
      code: code`
        const [cart] = await db.select().from(carts).where(eq(carts.id, id));
        if (cart?.status === "open") {
          await db.update(carts).set({ status: "abandoned" }).where(and(eq(carts.id, id), eq(carts.status, "open")));
        }
      `,
    },
    {
      name: "an insert into the table the read looked in is race/no-check-then-insert's",
      code: code`
        const [flag] = await db.select().from(featureFlags).where(eq(featureFlags.key, key));
        if (!flag?.enabled) await db.insert(featureFlags).values({ key, enabled: true });
      `,
    },
    {
      name: "a helper every caller in the file runs under a lock (claim.ts's resumeExchange)",
      code: code`
        async function resume(tx: Transaction, id: string) {
          const [message] = await tx.select().from(messages).where(eq(messages.id, id));
          if (message?.status === "success") return message;
          return tx.update(messages).set({ status: "pending" }).where(eq(messages.id, id));
        }
        export async function claim(tx: Transaction, userId: string, projectId: string, id: string) {
          await lockProject(tx, userId, projectId);
          return resume(tx, id);
        }
      `,
    },
  ],
  invalid: [
    {
      name: "the design note's transaction-only fix: the decision was read before the transaction",
      code: noteTransactionFix,
      errors: [
        { messageId: "unlockedRead", line: lineOf(noteTransactionFix, "await tx.update(projects)") },
        { messageId: "unlockedRead", line: lineOf(noteTransactionFix, "await tx.delete(scenes)") },
      ],
    },
    {
      name: "the lab's transaction-only.ts: a plain SELECT inside the transaction",
      code: labTransactionOnly,
      errors: [
        {
          messageId: "unlockedRead",
          line: lineOf(labTransactionOnly, "await tx.update(projects)"),
          data: { method: "update", guard: "project?.isWelcome", readLine: String(lineOf(labTransactionOnly, "tx.select()")) },
        },
        { messageId: "unlockedRead", line: lineOf(labTransactionOnly, "await tx.delete(scenes)") },
      ],
    },
    {
      name: "the write is a helper handed the transaction: the trap with apply.ts's shape and no lock",
      code: helperWrite,
      errors: [
        {
          messageId: "unlockedRead",
          line: lineOf(helperWrite, "resetWelcomeScene(tx"),
          data: { method: "resetWelcomeScene(…)", guard: "project?.isWelcome", readLine: String(lineOf(helperWrite, "tx.select()")) },
        },
      ],
    },
    {
      name: "the relational query API has no row lock",
      code: relationalQuery,
      errors: [{ messageId: "unlockedRead", line: lineOf(relationalQuery, "tx.update") }],
    },
    {
      name: "a value derived from the read keeps its taint",
      code: derivedValue,
      errors: [{ messageId: "unlockedRead", line: lineOf(derivedValue, "tx.delete") }],
    },
    {
      name: "&& and ?: guards",
      code: logicalAndTernary,
      errors: [
        { messageId: "unlockedRead", line: lineOf(logicalAndTernary, "tx.delete") },
        { messageId: "unlockedRead", line: lineOf(logicalAndTernary, "tx.update") },
      ],
    },
    {
      name: "else branches and switch cases are guarded too",
      code: elseBranchAndSwitch,
      errors: [
        { messageId: "unlockedRead", line: lineOf(elseBranchAndSwitch, "tx.update") },
        { messageId: "unlockedRead", line: lineOf(elseBranchAndSwitch, "tx.delete") },
      ],
    },
    {
      name: "a read taken before the transaction's lock is not protected by it",
      code: readBeforeTheLock,
      errors: [{ messageId: "unlockedRead", line: lineOf(readBeforeTheLock, "tx.update") }],
    },
    {
      name: "an early return on the plain read, with the write after the if",
      code: code`
        await db.transaction(async (tx) => {
          const [project] = await tx.select().from(projects).where(eq(projects.id, id));
          if (!project?.isWelcome) return;
          await tx.update(projects).set({ isWelcome: false }).where(eq(projects.id, id));
        });
      `,
      errors: [{ messageId: "unlockedRead", data: { method: "update", guard: "!project?.isWelcome", readLine: "2" } }],
    },
    {
      name: "check-then-act with no transaction at all: a plain read guarding a single write",
      code: code`
        const [project] = await db.select().from(projects).where(eq(projects.id, id));
        if (project?.isWelcome) await db.update(projects).set({ isWelcome: false }).where(eq(projects.id, id));
      `,
      errors: [{ messageId: "checkThenAct", line: 2, data: { method: "update", guard: "project?.isWelcome", readLine: "1" } }],
    },
    {
      name: "rows selected by a condition on their state, then written by id",
      code: code`
        const stale = await db.select({ id: carts.id }).from(carts).where(eq(carts.itemCount, 0));
        await db.delete(carts).where(inArray(carts.id, stale.map((cart) => cart.id)));
      `,
      errors: [{ messageId: "staleIds", line: 2, data: { method: "delete", readLine: "1" } }],
    },
    {
      name: "raw SQL select on a differently named handle",
      code: rawSelect,
      errors: [{ messageId: "unlockedRead", line: lineOf(rawSelect, "trx.update") }],
    },
  ],
});
