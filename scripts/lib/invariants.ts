/**
 * The invariants of DESIGN.md ("Invariants, checked in the database"), counted over a
 * whole database with plain SQL, for the soak. Every count except the totals must be 0.
 */
import type postgres from "postgres";

export interface DatabaseInvariants {
  projects: number;
  userMessages: number;
  assistantMessages: number;
  errorReplies: number;
  generatedScenes: number;
  welcomeScenes: number;
  /** Replies pointing at a scene that no longer exists: data loss. */
  danglingSceneIds: number;
  /** Projects with is_welcome = false that still have a welcome scene. */
  welcomeSceneAfterReset: number;
  /** Projects with a successful reply that still have is_welcome = true. */
  welcomeFlagAfterGeneration: number;
  duplicateOrders: number;
  duplicateSequences: number;
  /** User messages sharing (project, request_id): the unique backstop makes this 0. */
  duplicateRequestIds: number;
  /** User messages answered by more than one assistant message. */
  multipleReplies: number;
  /** Generated scenes no reply points at: a scene made by a generation nobody was told about. */
  orphanScenes: number;
  /** Messages still pending or building. */
  stuck: number;
  /** Successful "Added a scene" replies minus successful "Deleted scene" replies. */
  expectedGeneratedScenes: number;
}

export async function checkInvariants(sql: postgres.Sql): Promise<DatabaseInvariants> {
  const count = async (query: Promise<{ n: string | number }[]>) => Number((await query)[0]?.n ?? 0);
  const [row] = await sql<
    { projects: string; user_messages: string; assistant_messages: string; error_replies: string; generated: string; welcome: string; adds: string; deletes: string }[]
  >`
    select
      (select count(*) from projects) as projects,
      (select count(*) from messages where role = 'user') as user_messages,
      (select count(*) from messages where role = 'assistant') as assistant_messages,
      (select count(*) from messages where role = 'assistant' and status = 'error') as error_replies,
      (select count(*) from scenes where kind = 'generated') as generated,
      (select count(*) from scenes where kind = 'welcome') as welcome,
      (select count(*) from messages where role = 'assistant' and status = 'success' and content like 'Added a scene%') as adds,
      (select count(*) from messages where role = 'assistant' and status = 'success' and content like 'Deleted scene%') as deletes
  `;
  return {
    projects: Number(row?.projects ?? 0),
    userMessages: Number(row?.user_messages ?? 0),
    assistantMessages: Number(row?.assistant_messages ?? 0),
    errorReplies: Number(row?.error_replies ?? 0),
    generatedScenes: Number(row?.generated ?? 0),
    welcomeScenes: Number(row?.welcome ?? 0),
    expectedGeneratedScenes: Number(row?.adds ?? 0) - Number(row?.deletes ?? 0),
    danglingSceneIds: await count(sql`
      select count(*) as n from messages m
      where m.scene_id is not null and not exists (select 1 from scenes s where s.id = m.scene_id)`),
    welcomeSceneAfterReset: await count(sql`
      select count(*) as n from projects p
      where not p.is_welcome and exists (select 1 from scenes s where s.project_id = p.id and s.kind = 'welcome')`),
    welcomeFlagAfterGeneration: await count(sql`
      select count(*) as n from projects p
      where p.is_welcome and exists (
        select 1 from messages m where m.project_id = p.id and m.role = 'assistant' and m.status = 'success')`),
    duplicateOrders: await count(sql`
      select count(*) as n from (select 1 from scenes group by project_id, "order" having count(*) > 1) d`),
    duplicateSequences: await count(sql`
      select count(*) as n from (select 1 from messages group by project_id, sequence having count(*) > 1) d`),
    duplicateRequestIds: await count(sql`
      select count(*) as n from (
        select 1 from messages where request_id is not null group by project_id, request_id having count(*) > 1) d`),
    multipleReplies: await count(sql`
      select count(*) as n from (
        select 1 from messages where reply_to_id is not null group by reply_to_id having count(*) > 1) d`),
    orphanScenes: await count(sql`
      select count(*) as n from scenes s
      where s.kind = 'generated' and not exists (select 1 from messages m where m.scene_id = s.id)`),
    stuck: await count(sql`select count(*) as n from messages where status in ('pending', 'building')`),
  };
}
