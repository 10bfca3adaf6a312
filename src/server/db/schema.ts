import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";

import type { SceneProps } from "~/lib/scene-props";

/**
 * One clock: both timestamps come from the database's `now()`, on insert and on every
 * update, never from the app server's clock. The exchange lease is written through
 * `updated_at` and expired with `now()` (services/generation/recovery.ts); a skewed app
 * clock writing it would expire a live exchange or keep a dead one (issue 12, item 10d).
 */
const timestamps = {
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true })
    .notNull()
    .defaultNow()
    .$onUpdate(() => sql`now()`),
};

export const sceneKind = pgEnum("scene_kind", ["welcome", "generated"]);
export const messageRole = pgEnum("message_role", ["user", "assistant"]);
export const messageStatus = pgEnum("message_status", ["pending", "building", "success", "error"]);

export const users = pgTable("users", {
  id: uuid("id").primaryKey(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const projects = pgTable(
  "projects",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ownerId: uuid("owner_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    isWelcome: boolean("is_welcome").notNull().default(true),
    /**
     * The sequence the project's next message gets. A claim reserves two (the user message
     * and its reply) by incrementing it, which also locks the row: numbers come from the
     * locked row, never from a `max()` an earlier snapshot could have missed.
     */
    nextMessageSequence: integer("next_message_sequence").notNull().default(0),
    /** Client-minted id of one intended creation (a click on "New project"): the idempotency key. */
    requestId: uuid("request_id"),
    ...timestamps,
  },
  (table) => [
    index("projects_owner_created_idx").on(table.ownerId, table.createdAt),
    // NULLs are distinct: a create without a requestId is never deduplicated.
    unique("projects_owner_request_unique").on(table.ownerId, table.requestId),
  ],
);

export const scenes = pgTable(
  "scenes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    projectId: uuid("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    kind: sceneKind("kind").notNull(),
    order: integer("order").notNull(),
    name: text("name").notNull(),
    props: jsonb("props").$type<SceneProps>().notNull(),
    version: integer("version").notNull().default(1),
    ...timestamps,
  },
  (table) => [unique("scenes_project_order_unique").on(table.projectId, table.order)],
);

export const messages = pgTable(
  "messages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    projectId: uuid("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    role: messageRole("role").notNull(),
    content: text("content").notNull(),
    status: messageStatus("status").notNull(),
    /** Client-minted id of a composed message (user messages only): the idempotency key. */
    requestId: uuid("request_id"),
    /** On an assistant message: the user message it answers. */
    replyToId: uuid("reply_to_id").references((): AnyPgColumn => messages.id, { onDelete: "cascade" }),
    sequence: integer("sequence").notNull(),
    // Deliberately not a foreign key: a lost scene must stay visible as a dangling id.
    sceneId: uuid("scene_id"),
    error: text("error"),
    /**
     * On an assistant message: which run of the exchange owns it (a fencing token). A retry
     * of a failed or expired exchange increments it; only the run holding the current
     * attempt may mark it building, renew its lease, complete or fail it.
     */
    attempt: integer("attempt").notNull().default(1),
    ...timestamps,
  },
  (table) => [
    unique("messages_project_sequence_unique").on(table.projectId, table.sequence),
    unique("messages_project_request_unique").on(table.projectId, table.requestId),
    unique("messages_reply_to_unique").on(table.replyToId),
    index("messages_unfinished_idx")
      .on(table.projectId)
      .where(sql`${table.status} in ('pending', 'building')`),
    // Deleting a scene unlinks the replies that point at it (`where scene_id = …`).
    index("messages_scene_idx").on(table.sceneId),
  ],
);

export type User = typeof users.$inferSelect;
export type Project = typeof projects.$inferSelect;
export type Scene = typeof scenes.$inferSelect;
export type Message = typeof messages.$inferSelect;
