import rule from "../../../eslint-plugin-race/rules/no-outer-db-in-transaction.js";
import { code, createRuleTester, lineOf, sourceOf } from "./rule-tester";

// These two cases were race/no-split-db-writes's `rootHandleInTransaction` until the
// shape got a rule of its own (with reads, helpers and nested transactions).
const rootHandleInsideTransaction = code`
  await db.transaction(async (tx) => {
    await tx.update(projects).set({ isWelcome: false }).where(eq(projects.id, projectId));
    await db.delete(scenes).where(eq(scenes.projectId, projectId));
  });
`;

const rootHandleInsideWithTransaction = code`
  export function rename(db: Database, id: string, title: string) {
    return withTransaction(db, async (tx) => {
      await lockProject(tx, id);
      return db.update(projects).set({ title }).where(eq(projects.id, id));
    });
  }
`;

const helperAndNested = code`
  await db.transaction(async (tx) => {
    await recordAudit(db, "archive");
    await withTransaction(db, async (inner) => inner.delete(scenes));
    return db.query.projects.findFirst({ where: eq(projects.id, id) });
  });
`;

createRuleTester().run("race/no-outer-db-in-transaction", rule, {
  valid: [
    { name: "this app's apply.ts: everything on tx", code: sourceOf("src/server/services/generation/apply.ts") },
    { name: "this app's claim.ts", code: sourceOf("src/server/services/generation/claim.ts") },
    { name: "this app's projects.ts", code: sourceOf("src/server/services/projects.ts") },
    {
      name: "a callback parameter named db is the transaction",
      code: code`
        await getDb().transaction(async (db) => {
          await db.insert(audit).values({ id });
        });
      `,
    },
    {
      name: "db after the transaction, and a helper handed tx",
      code: code`
        await db.transaction(async (tx) => {
          await recordAudit(tx, "archive");
        });
        await db.select().from(projects);
      `,
    },
  ],
  invalid: [
    {
      name: "db (not tx) inside db.transaction's callback runs outside the transaction",
      code: rootHandleInsideTransaction,
      errors: [
        {
          messageId: "outerDb",
          line: lineOf(rootHandleInsideTransaction, "await db.delete"),
          data: { method: "delete", handle: "db", tx: "tx" },
        },
      ],
    },
    {
      name: "db inside withTransaction's callback, even a single write that is returned, not awaited",
      code: rootHandleInsideWithTransaction,
      errors: [{ messageId: "outerDb", line: lineOf(rootHandleInsideWithTransaction, "db.update") }],
    },
    {
      name: "a helper handed db, a second transaction on db, and a relational query on db",
      code: helperAndNested,
      errors: [
        { messageId: "outerDbHelper", line: 2, data: { callee: "recordAudit", handle: "db", tx: "tx" } },
        { messageId: "nestedTransaction", line: 3, data: { handle: "db", tx: "tx" } },
        { messageId: "outerDb", line: 4, data: { handle: "db", method: "query.projects.findFirst", tx: "tx" } },
      ],
    },
    {
      name: "a helper that takes the transaction but writes on db",
      code: code`
        async function addMember(tx: Transaction, id: string) {
          await tx.insert(members).values({ id });
          await db.update(projects).set({ memberCount: 1 });
        }
      `,
      errors: [{ messageId: "outerDb", line: 3, data: { handle: "db", method: "update", tx: "tx" } }],
    },
  ],
});
