/**
 * How many statements reach the database for one generation, one chat poll and one scene
 * list: counted by the query log (src/server/db/query-log.ts) of a pool of the test's own,
 * which sees every statement either driver sends, BEGIN and COMMIT included. Before issue 16
 * a generation sent 17 (19 on a new project) and a chat poll 2, one of them an UPDATE.
 */
import { randomUUID } from "node:crypto";

import { sql } from "drizzle-orm";
import { afterAll, describe, expect, inject, it } from "vitest";

import { env } from "~/env";
import { createCaller } from "~/server/api/root";
import { openDatabase } from "~/server/db";
import { projects } from "~/server/db/schema";
import { queryRows } from "~/server/db/tx";

const lines: string[] = [];
const pool = openDatabase(inject("databaseUrl"), { max: 2, queryLog: (line) => lines.push(line) });
afterAll(() => pool.close());

const caller = createCaller({ db: pool.db, userId: randomUUID(), headers: new Headers() });

/** The statements `work` sent, as the log printed them (duration, rows, SQL). */
async function statementsOf(work: () => Promise<unknown>) {
  lines.length = 0;
  await work();
  // The log reports a statement when its promise settles; COMMIT's line follows its callback.
  await new Promise((resolve) => setImmediate(resolve));
  return [...lines];
}

const sqlOf = (line: string) => line.replace(/^\[sql\]\s+\S+ ms\s+(\d+ rows?\s+|ERROR \S+\s+)?/, "").trim().toLowerCase();

describe("round trips", () => {
  it("a generation sends at most 8 statements, 10 on a new project (the welcome reset's two writes)", async () => {
    const project = await caller.project.create({ title: "Round trips" });
    const generate = (prompt: string) => () =>
      caller.generation.generateScene({ projectId: project.id, prompt, requestId: randomUUID() });

    const first = await statementsOf(generate("A red intro"));
    const second = await statementsOf(generate("A blue outro"));
    console.log(`[round trips] first generation ${first.length}, next ${second.length}:\n${second.join("\n")}`);
    expect(second.length).toBeLessThanOrEqual(8);
    expect(first.length).toBeLessThanOrEqual(10);
  });

  it("a chat poll is one statement, and it writes nothing; so is the scene list", async () => {
    const project = await caller.project.create({ title: "One read" });
    await caller.generation.generateScene({ projectId: project.id, prompt: "A red intro", requestId: randomUUID() });

    const poll = await statementsOf(() => caller.generation.getChatMessages({ projectId: project.id }));
    const scenes = await statementsOf(() => caller.generation.getProjectScenes({ projectId: project.id }));
    expect(poll).toHaveLength(1);
    expect(poll.map(sqlOf)).toEqual([expect.stringMatching(/^select /)]);
    expect(scenes).toHaveLength(1);
    expect(scenes.map(sqlOf)).toEqual([expect.stringMatching(/^select /)]);
  });

  it("prepares Drizzle's statements where the connection allows it (postgres.js straight to PostgreSQL), never behind a pooler", async () => {
    const single = openDatabase(inject("databaseUrl"), { max: 1 });
    try {
      await single.db.select({ id: projects.id }).from(projects).limit(1);
      const prepared = await queryRows<{ statement: string }>(single.db, sql`select statement from pg_prepared_statements`);
      const preparing = env.DATABASE_DRIVER === "postgres-js" && env.DATABASE_POOLER === "none";
      expect(prepared.some(({ statement }) => statement.includes('from "projects"'))).toBe(preparing);
    } finally {
      await single.close();
    }
  });
});
