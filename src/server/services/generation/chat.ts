import { asc, eq, getTableColumns, sql } from "drizzle-orm";

import type { Database } from "~/server/db";
import { messages, projects, type Message } from "~/server/db/schema";
import { notFound } from "~/server/services/errors";
import { ownedProject } from "~/server/services/projects";
import { interrupted } from "./exchange";
import { INTERRUPTED_REPLY } from "./recovery";

const { status, content, error, ...columns } = getTableColumns(messages);

/**
 * A project's chat as its owner sees it, in one statement that writes nothing: the
 * ownership check and the messages together (no row: not this user's project), and a reply
 * whose lease ran out shown as interrupted, with a Retry. The next claim on the project
 * records that interruption (./recovery.ts); a read never does.
 */
export async function readChat(db: Database, userId: string, projectId: string): Promise<Message[]> {
  const rows = await db
    .select({
      projectId: projects.id,
      message: {
        ...columns,
        status: sql<Message["status"]>`case when ${interrupted} then 'error' else ${status} end`,
        content: sql<string>`case when ${interrupted} then ${INTERRUPTED_REPLY} else ${content} end`,
        error: sql<string | null>`case when ${interrupted} then ${INTERRUPTED_REPLY} else ${error} end`,
      },
    })
    .from(projects)
    .leftJoin(messages, eq(messages.projectId, projects.id))
    .where(ownedProject(userId, projectId))
    .orderBy(asc(messages.sequence));
  if (rows.length === 0) throw notFound("Project");
  return rows.flatMap(({ message }) => (message?.id ? [message as Message] : []));
}
