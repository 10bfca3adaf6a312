/**
 * Issue 12, item 10b: deleting a scene by chat ("delete scene 3") first unlinks the replies
 * that point at it — `UPDATE messages SET scene_id = NULL WHERE scene_id = $1`
 * (src/server/services/brain/tools/delete-scene.ts). Without an index on `scene_id` that is
 * a sequential scan of every message of every user, under the project lock. The migration
 * 0002 adds `messages_scene_idx`. Before it, this test's plan was a Seq Scan on messages.
 */
import { randomUUID } from "node:crypto";

import { eq } from "drizzle-orm";
import postgres from "postgres";
import { describe, expect, inject, it } from "vitest";

import { getDb } from "~/server/db";
import { messages } from "~/server/db/schema";
import { createWelcomeProject } from "~/server/services/projects";

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  Plans?: PlanNode[];
}

const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)];

describe("unlinking a deleted scene's replies (item 10b)", () => {
  it("the delete tool's UPDATE … WHERE scene_id = $1 scans messages_scene_idx, not the whole table", async () => {
    const project = await createWelcomeProject(getDb(), randomUUID(), "Index");
    // The delete tool's own statement, built by Drizzle exactly as it sends it.
    const statement = getDb().update(messages).set({ sceneId: null }).where(eq(messages.sceneId, randomUUID())).toSQL();

    const sql = postgres(inject("databaseUrl"), { max: 1, onnotice: () => undefined });
    try {
      let plan: PlanNode | undefined;
      const rollback = new Error("rollback");
      await sql
        .begin(async (tx) => {
          // A table the size of a real one (50,000 messages, most replies linked to a scene),
          // rolled back afterwards, planned with the statistics PostgreSQL would have.
          await tx.unsafe(
            `insert into messages (project_id, role, content, status, sequence, scene_id)
             select $1, 'assistant', 'reply', 'success', n, case when n % 5 = 0 then null else gen_random_uuid() end
             from generate_series(1000000, 1049999) as n`,
            [project.id],
          );
          await tx.unsafe("analyze messages");
          const [row] = await tx.unsafe(`explain (format json) ${statement.sql}`, statement.params as string[]);
          plan = (row as unknown as { "QUERY PLAN": [{ Plan: PlanNode }] })["QUERY PLAN"][0].Plan;
          throw rollback;
        })
        .catch((error: unknown) => {
          if (error !== rollback) throw error;
        });
      if (!plan) throw new Error("no plan");

      const scans = nodesOf(plan).filter((node) => node["Relation Name"] === "messages" || node["Index Name"]);
      console.log(`[index] ${statement.sql} → ${scans.map((node) => `${node["Node Type"]} ${node["Index Name"] ?? node["Relation Name"]}`).join(", ")}`);
      expect(scans.map((node) => node["Node Type"])).not.toContain("Seq Scan");
      expect(scans.map((node) => node["Index Name"])).toContain("messages_scene_idx");
    } finally {
      await sql.end();
    }
  });
});
