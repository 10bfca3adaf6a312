/**
 * The bench's floor for `project.get`: a bare `node:http` server that runs the app's own
 * query (`requireOwnedProject`, Drizzle over the same driver and pool settings) and answers
 * its JSON — no Next.js, no proxy, no session check, no tRPC. Whatever the app's
 * `project.get` costs above this is the web stack's. Run by scripts/lib/anchor.ts in its own
 * process (`node --conditions=react-server --import tsx`), like `next start` runs in its own.
 *
 *   GET /project?projectId=<uuid>&userId=<uuid>  →  200 the project row as JSON, 404 if not theirs
 *   GET /live                                    →  200 `{"status":"ok"}`, no query (the floor of the floor)
 */
import http from "node:http";

import { getDb } from "~/server/db";
import { DomainError } from "~/server/services/errors";
import { requireOwnedProject } from "~/server/services/projects";

const port = Number(process.env.PORT ?? 0);

const server = http.createServer((request, response) => {
  const url = new URL(request.url ?? "/", "http://anchor");
  if (url.pathname === "/live") {
    const body = JSON.stringify({ status: "ok" });
    response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    response.end(body);
    return;
  }
  const projectId = url.searchParams.get("projectId") ?? "";
  const userId = url.searchParams.get("userId") ?? "";
  requireOwnedProject(getDb(), userId, projectId).then(
    (project) => {
      const body = JSON.stringify(project);
      response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
      response.end(body);
    },
    (error: unknown) => {
      response.writeHead(DomainError.is(error) ? 404 : 500);
      response.end();
    },
  );
});

server.listen(port, "127.0.0.1", () => {
  const address = server.address();
  console.log(`anchor listening on ${typeof address === "object" && address ? address.port : port}`);
});

process.on("SIGTERM", () => server.close(() => process.exit(0)));
