/** The tables the corpus cases use: a small SaaS app (projects, billing, carts, jobs). */
import { boolean, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

const id = () => uuid("id").primaryKey().defaultRandom();

export const users = pgTable("users", {
  id: id(),
  email: text("email").notNull().unique(),
  name: text("name").notNull().default(""),
  credits: integer("credits").notNull().default(0),
  plan: text("plan").$type<"free" | "pro">().notNull().default("free"),
  isBanned: boolean("is_banned").notNull().default(false),
  lastSeenAt: timestamp("last_seen_at"),
});

export const projects = pgTable("projects", {
  id: id(),
  ownerId: uuid("owner_id").notNull(),
  title: text("title").notNull(),
  status: text("status").$type<"draft" | "published" | "archived">().notNull().default("draft"),
  isWelcome: boolean("is_welcome").notNull().default(true),
  tags: text("tags").array().notNull().default([]),
  memberCount: integer("member_count").notNull().default(0),
  version: integer("version").notNull().default(1),
  publishedAt: timestamp("published_at"),
  updatedAt: timestamp("updated_at").notNull().defaultNow(),
});

export const scenes = pgTable("scenes", {
  id: id(),
  projectId: uuid("project_id").notNull(),
  order: integer("order").notNull(),
  kind: text("kind").$type<"welcome" | "generated">().notNull(),
  name: text("name").notNull(),
  props: jsonb("props").$type<Record<string, unknown>>().notNull().default({}),
  version: integer("version").notNull().default(1),
});

export const messages = pgTable("messages", {
  id: id(),
  projectId: uuid("project_id").notNull(),
  role: text("role").$type<"user" | "assistant">().notNull(),
  content: text("content").notNull(),
  status: text("status").$type<"pending" | "building" | "success" | "error">().notNull(),
  requestId: text("request_id"),
  createdAt: timestamp("created_at").notNull().defaultNow(),
});

export const members = pgTable("members", {
  id: id(),
  projectId: uuid("project_id").notNull(),
  userId: uuid("user_id").notNull(),
  role: text("role").$type<"owner" | "editor" | "viewer">().notNull(),
});

export const invites = pgTable("invites", {
  id: id(),
  projectId: uuid("project_id").notNull(),
  email: text("email").notNull(),
  token: text("token").notNull().unique(),
  sentAt: timestamp("sent_at"),
  acceptedAt: timestamp("accepted_at"),
});

export const payments = pgTable("payments", {
  id: id(),
  userId: uuid("user_id").notNull(),
  idempotencyKey: text("idempotency_key").notNull().unique(),
  amount: integer("amount").notNull(),
  status: text("status").$type<"pending" | "paid" | "failed">().notNull(),
  chargeId: text("charge_id"),
});

export const carts = pgTable("carts", {
  id: id(),
  userId: uuid("user_id").notNull(),
  status: text("status").$type<"open" | "checked_out" | "abandoned">().notNull(),
  itemCount: integer("item_count").notNull().default(0),
  updatedAt: timestamp("updated_at").notNull().defaultNow(),
});

export const cartItems = pgTable("cart_items", {
  id: id(),
  cartId: uuid("cart_id").notNull(),
  productId: uuid("product_id").notNull(),
  quantity: integer("quantity").notNull(),
});

export const products = pgTable("products", {
  id: id(),
  name: text("name").notNull(),
  stock: integer("stock").notNull(),
  price: integer("price").notNull(),
});

export const orders = pgTable("orders", {
  id: id(),
  userId: uuid("user_id").notNull(),
  cartId: uuid("cart_id").notNull(),
  total: integer("total").notNull(),
  status: text("status").$type<"placed" | "paid" | "shipped">().notNull(),
});

export const jobs = pgTable("jobs", {
  id: id(),
  kind: text("kind").notNull(),
  status: text("status").$type<"queued" | "running" | "done" | "failed">().notNull(),
  attempts: integer("attempts").notNull().default(0),
  result: jsonb("result"),
  lockedBy: text("locked_by"),
  runAt: timestamp("run_at").notNull().defaultNow(),
});

export const featureFlags = pgTable("feature_flags", {
  key: text("key").primaryKey(),
  enabled: boolean("enabled").notNull().default(false),
  rolloutPercent: integer("rollout_percent").notNull().default(0),
});

export const webhookEvents = pgTable("webhook_events", {
  id: id(),
  eventId: text("event_id").notNull().unique(),
  type: text("type").notNull(),
  processedAt: timestamp("processed_at"),
});

export const auditLog = pgTable("audit_log", {
  id: id(),
  actorId: uuid("actor_id").notNull(),
  action: text("action").notNull(),
  targetId: uuid("target_id"),
  createdAt: timestamp("created_at").notNull().defaultNow(),
});

export const documents = pgTable("documents", {
  id: id(),
  ownerId: uuid("owner_id").notNull(),
  title: text("title").notNull(),
  body: text("body").notNull(),
  revision: integer("revision").notNull().default(1),
  updatedAt: timestamp("updated_at").notNull().defaultNow(),
});

export const posts = pgTable("posts", {
  id: id(),
  authorId: uuid("author_id").notNull(),
  likeCount: integer("like_count").notNull().default(0),
  viewCount: integer("view_count").notNull().default(0),
});

export const likes = pgTable("likes", {
  id: id(),
  postId: uuid("post_id").notNull(),
  userId: uuid("user_id").notNull(),
});

export const notifications = pgTable("notifications", {
  id: id(),
  userId: uuid("user_id").notNull(),
  kind: text("kind").notNull(),
  readAt: timestamp("read_at"),
});

export const subscriptions = pgTable("subscriptions", {
  id: id(),
  userId: uuid("user_id").notNull().unique(),
  plan: text("plan").$type<"free" | "pro">().notNull(),
  status: text("status").$type<"active" | "canceled">().notNull(),
  renewsAt: timestamp("renews_at"),
});
