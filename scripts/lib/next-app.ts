/**
 * The production app for the bench and the soak: `next build`, and `next start`
 * processes on loopback that can be stopped cleanly (each in its own process group,
 * so a stop reaches every process it started and nothing else).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";

const nextCli = createRequire(import.meta.url).resolve("next/dist/bin/next");

/** True when `.next` holds a production build (BUILD_ID is written last). */
export function hasProductionBuild() {
  return existsSync(path.join(".next", "BUILD_ID"));
}

/** When the last production build finished. */
export function productionBuildTime(): Date | undefined {
  const file = path.join(".next", "BUILD_ID");
  return existsSync(file) ? statSync(file).mtime : undefined;
}

export interface BuildResult {
  status: number;
  seconds: number;
  /** Everything `next build` printed (stdout and stderr). */
  output: string;
}

/**
 * A script's build step: `next build`, unless `${skipVariable}=1` and a build exists (to reuse
 * `.next` while iterating). Answers the build, or undefined when the existing one is reused; a
 * failed build's output is printed.
 */
export async function buildUnlessReused(
  run: { log: (message: string) => void },
  skipVariable: string,
  { echo = false }: { echo?: boolean } = {},
): Promise<BuildResult | undefined> {
  if (process.env[skipVariable] === "1" && hasProductionBuild()) {
    run.log(`${skipVariable}=1: reusing the existing .next build`);
    return undefined;
  }
  run.log("next build …");
  const result = await nextBuild({ echo });
  if (result.status !== 0) {
    if (!echo) console.error(result.output);
    run.log("next build failed");
  } else {
    run.log(`next build: ${result.seconds.toFixed(1)} s`);
  }
  return result;
}

/** Runs `next build`; `echo` passes its output through as it comes. */
export function nextBuild({ echo }: { echo: boolean }): Promise<BuildResult> {
  const started = Date.now();
  const child = spawn(process.execPath, [nextCli, "build"], {
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const chunks: string[] = [];
  const collect = (stream: NodeJS.WritableStream) => (chunk: Buffer) => {
    chunks.push(chunk.toString("utf8"));
    if (echo) stream.write(chunk);
  };
  child.stdout.on("data", collect(process.stdout));
  child.stderr.on("data", collect(process.stderr));
  const stopBuild = () => killGroup(child, "SIGTERM");
  process.on("exit", stopBuild);
  return new Promise((resolve) => {
    child.on("close", (code, signal) => {
      process.off("exit", stopBuild);
      resolve({
        status: code ?? (signal ? 130 : 1),
        seconds: (Date.now() - started) / 1000,
        output: chunks.join(""),
      });
    });
  });
}

export interface NextServer {
  name: string;
  port: number;
  baseUrl: string;
  pid: number;
  /** The last lines the server printed, for a failure report. */
  recentOutput: () => string;
  stop: () => Promise<void>;
}

export interface StartOptions {
  name: string;
  port: number;
  env: NodeJS.ProcessEnv;
  /** How long to wait for /api/health to answer 200. */
  readyTimeoutMs?: number;
  /** Flags for the server's Node process, before `next start`: `--cpu-prof` (which NODE_OPTIONS refuses), the soak's memory probe. */
  nodeArgs?: string[];
}

/** `next start -H 127.0.0.1 -p <port>`, resolved once /api/health answers 200. */
export async function startNextServer({ name, port, env, readyTimeoutMs = 60_000, nodeArgs = [] }: StartOptions): Promise<NextServer> {
  const child = spawn(process.execPath, [...nodeArgs, nextCli, "start", "-H", "127.0.0.1", "-p", String(port)], {
    env: { ...env, PORT: String(port), NEXT_TELEMETRY_DISABLED: "1" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start next start for ${name}`);
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  // Last resort: a process.exit anywhere still takes the server down with us.
  const lastResort = () => killGroup(child, "SIGKILL");
  process.on("exit", lastResort);

  let stopping: Promise<void> | undefined;
  const server: NextServer = {
    name,
    port,
    pid,
    baseUrl: `http://127.0.0.1:${port}`,
    recentOutput: () => lines.join("\n"),
    stop: () =>
      (stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
          killGroup(child, "SIGTERM");
          // A graceful stop takes milliseconds once no requests are coming; past 5 s it is not coming.
          const outcome = await Promise.race([exited.then(() => "exited" as const), delay(5_000, "timeout" as const)]);
          if (outcome === "timeout") {
            killGroup(child, "SIGKILL");
            await exited;
          }
        }
        process.off("exit", lastResort);
      })()),
  };

  const deadline = Date.now() + readyTimeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${name} (next start on ${port}) exited during start:\n${server.recentOutput()}`);
    }
    if ((await healthStatus(port)) === 200) return server;
    await delay(100);
  }
  await server.stop();
  throw new Error(`${name} (next start on ${port}) was not healthy within ${readyTimeoutMs} ms:\n${server.recentOutput()}`);
}

/** Signals the child's whole process group (it was spawned detached, so it leads one). */
function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

function healthStatus(port: number): Promise<number> {
  return new Promise((resolve) => {
    const request = http.get({ host: "127.0.0.1", port, path: "/api/health", timeout: 2000 }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on("timeout", () => request.destroy());
    request.on("error", () => resolve(0));
  });
}
