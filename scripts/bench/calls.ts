/**
 * The calls the scenarios send, over real HTTP to a `next start` (scripts/lib/trpc-http.ts),
 * and the simulated users who send them: one keep-alive agent for the whole run, a session
 * cookie per user, a new welcome project per user.
 */
import { randomUUID } from "node:crypto";

import { mapLimit } from "../lib/concurrency";
import type { NextServer } from "../lib/next-app";
import { createAgent, TrpcUser, type CallResult } from "../lib/trpc-http";

/** The run's one agent: sockets are reused across simulated users, as a load balancer would. */
export const agent = createAgent();

export type Call = (user: TrpcUser, projectId: string, index: number) => Promise<CallResult<unknown>>;

/** The app's own flow: `generation.generateScene` with a new requestId. */
export const fixedFlow: Call = (user, projectId, index) =>
  user.mutation("generation.generateScene", { projectId, prompt: `Bench scene ${index}`, requestId: randomUUID() });

export type LabStrategy = "naive" | "locked" | "lock-across-model-call";

/** A Race Lab strategy (`lab.generateScene`) at a per-request model latency. */
export const labFlow =
  (strategy: LabStrategy, latencyMs: number): Call =>
  (user, projectId, index) =>
    user.mutation("lab.generateScene", { projectId, prompt: `Bench scene ${index}`, strategy, latencyMs });

/** A one-query read: `project.get`. */
export const projectRead: Call = (user, projectId) => user.query("project.get", { projectId });

/** A new user on `server` (it gets its cookie on its first request). */
export const newUser = (server: NextServer) => new TrpcUser(server.baseUrl, agent);

export async function createProject(user: TrpcUser, title = "Bench") {
  const created = await user.mutation<{ id: string }>("project.create", { title });
  if (!created.data) throw new Error(`project.create failed: ${created.status} ${created.code ?? ""} ${created.message ?? ""}`);
  return created.data.id;
}

/** n new users (each gets its cookie on its first request), each with a new welcome project. */
export function usersWithProjects(server: NextServer, n: number) {
  return mapLimit(Array.from({ length: n }), 25, async () => {
    const user = newUser(server);
    return { user, projectId: await createProject(user) };
  });
}
