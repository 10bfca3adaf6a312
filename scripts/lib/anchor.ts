/**
 * Starts scripts/lib/anchor-server.ts (the bare `node:http` floor for `project.get`) in its
 * own process on a free loopback port, and answers how to call it.
 */
import { spawn } from "node:child_process";
import path from "node:path";

import { findFreePort } from "~/server/db/embedded";

export interface AnchorServer {
  baseUrl: string;
  pid: number;
  stop: () => Promise<void>;
}

export async function startAnchorServer(env: NodeJS.ProcessEnv): Promise<AnchorServer> {
  const port = await findFreePort();
  const child = spawn(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", path.join("scripts", "lib", "anchor-server.ts")],
    { env: { ...env, PORT: String(port) }, stdio: ["ignore", "pipe", "pipe"] },
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error("could not start the anchor server");
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      if (output.includes("anchor listening")) resolve();
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.once("exit", (code) => reject(new Error(`the anchor server exited (${code}) during start:\n${output}`)));
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    pid,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
