/**
 * The tool registry and the database pool under hot reload, in a real `next dev`.
 *
 * The work tree is copied to a temp folder (the files `git ls-files` names, tracked and
 * untracked-but-not-ignored, plus a symlink to node_modules; never .data or .next), and
 * `node --import tsx scripts/with-database.ts next dev` runs there — what `npm run dev`
 * runs — with its own embedded PostgreSQL in a temp data folder. Then, 4 times:
 *
 * 1. edit two server modules of the copy that the registry's import chain includes:
 *    add-scene.ts (a marker in the tool's description and in its reply) and
 *    db/schema.ts (a marker comment; add-scene.ts → scenes.ts → schema.ts, and
 *    db/index.ts imports it too, so the pool's module is evaluated again as well);
 * 2. request: `generation.generateScene` over HTTP (the orchestrator reads the registry),
 *    `lab.generateScene` (which calls this bundle's own planAddScene) and the lab's
 *    read-only `/api/lab/tool-registry`;
 * 3. read the app's connections from `pg_stat_activity`.
 *
 * Asserted after every edit: each tool is in the registry once, every bundle finds the
 * same registry, the registered tool is still the one registered at start-up, and the
 * edit really was compiled (the marker shows in the lab's reply and in the bundle's copy
 * of the tool). Asserted at the end: the connection count did not grow.
 *
 * Teeth (run by hand; each must make this test fail):
 *   HOT_RELOAD_MUTANT=module-local-registry npx vitest run tests/integration/hot-reload.test.ts
 *   HOT_RELOAD_MUTANT=module-local-db       npx vitest run tests/integration/hot-reload.test.ts
 * replace, in the copy only, the `globalThis` holder of the registry (tools/registry.ts)
 * or of the pool (db/index.ts) with a module-local one.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";

import postgres from "postgres";
import { describe, expect, it, vi } from "vitest";

import { SESSION_COOKIE } from "~/server/auth/session";
import { findFreePort } from "~/server/db/embedded";

const repoRoot = path.resolve(import.meta.dirname, "..", "..");
const EDITS = 4;
const TOOL_NAMES = ["deleteScene", "editScene", "addScene"];

const ADD_SCENE = "src/server/services/brain/tools/add-scene.ts";
const SCHEMA = "src/server/db/schema.ts";
const ORIGINAL_DESCRIPTION = "Add a new scene at the end of the video (the default).";
const ORIGINAL_REPLY = "reply: `Added a scene: “${props.title}”.`";

const mutants: Record<string, { file: string; from: string; to: string }> = {
  "module-local-registry": {
    file: "src/server/services/brain/tools/registry.ts",
    from: 'return processSingleton("race-safe.brain.tool-registry", () => new ToolRegistry());',
    to: "return (moduleLocalRegistry.current ??= new ToolRegistry());\n}\nconst moduleLocalRegistry: { current?: ToolRegistry } = {};\n{",
  },
  "module-local-db": {
    file: "src/server/db/index.ts",
    from: 'const shared = processSlot<{ url: string; db: Database; close: () => Promise<void> }>("race-safe.db");',
    to: "const shared = moduleLocalSlot<{ url: string; db: Database; close: () => Promise<void> }>();\nfunction moduleLocalSlot<T>() {\n  let value: T | undefined;\n  return { get: () => value, set: (next: T | undefined) => void (value = next) };\n}",
  },
};

interface RegistryView {
  pid: number;
  registry: Record<string, number>;
  initialized: Record<string, number>;
  sameRegistry: boolean;
  registeredDescriptions: Record<string, string>;
  bundleDescriptions: Record<string, string>;
}

interface Measurement {
  step: string;
  registry: Record<string, number>;
  initialized: Record<string, number>;
  sameRegistry: boolean;
  connections: number;
  generateReply: string;
  labReply: string;
}

describe("hot reload in a real next dev", () => {
  it("the lab's registry endpoint is hidden in a production build without RACE_LAB=1", async () => {
    vi.stubEnv("NODE_ENV", "production");
    vi.stubEnv("RACE_LAB", "");
    vi.resetModules();
    try {
      const { GET } = await import("~/app/api/lab/tool-registry/route");
      expect((await GET()).status).toBe(404);
    } finally {
      vi.unstubAllEnvs();
      vi.resetModules();
    }
  });

  it(
    "keeps one registration per tool and one pool across 4 edits of the registry's modules",
    async () => {
      const started = Date.now();
      const copy = mkdtempSync(path.join(tmpdir(), "hot-reload-app-"));
      const dataParent = mkdtempSync(path.join(tmpdir(), "hot-reload-pg-"));
      chmodSync(dataParent, 0o755); // the postgres user (we may be root) must enter it
      const dataDir = path.join(dataParent, "pg");
      let server: DevServer | undefined;
      let monitor: postgres.Sql | undefined;
      try {
        copyWorkTree(repoRoot, copy);
        const mutant = process.env.HOT_RELOAD_MUTANT;
        if (mutant) applyMutant(copy, mutant);

        server = await startDevServer(copy, dataDir);
        const { pgPort } = server;
        const sql = (monitor = postgres(`postgres://postgres:postgres@127.0.0.1:${pgPort}/race_safe`, {
          max: 1,
          onnotice: () => undefined,
          connection: { application_name: "hot-reload-test" },
        }));
        const appConnections = async () => {
          const [row] = await sql<{ count: number }[]>`
            select count(*)::int as count from pg_stat_activity
            where datname = 'race_safe' and pid <> pg_backend_pid()`;
          return row?.count ?? -1;
        };

        const app = new AppClient(server.baseUrl);
        const projectId = (await app.trpc<{ id: string }>("project.create", { title: "Hot reload" })).id;
        const measurements: Measurement[] = [];
        const measure = async (step: string, marker: string | undefined) => {
          const view = marker
            ? await app.pollRegistry((v) => v.bundleDescriptions.addScene?.includes(marker) ?? false)
            : await app.registry();
          const generated = await app.trpc<{ assistantMessage: { content: string } }>("generation.generateScene", {
            projectId,
            prompt: `a scene for ${step}`,
            requestId: randomUUID(),
          });
          const lab = await app.trpc<{ assistantMessage: { content: string } }>("lab.generateScene", {
            projectId,
            prompt: `a lab scene for ${step}`,
            strategy: "locked",
          });
          const after = await app.registry();
          const measurement: Measurement = {
            step,
            registry: after.registry,
            initialized: after.initialized,
            sameRegistry: after.sameRegistry,
            connections: await appConnections(),
            generateReply: generated.assistantMessage.content,
            labReply: lab.assistantMessage.content,
          };
          measurements.push(measurement);
          console.log(
            `[hot-reload] ${step} (at ${((Date.now() - started) / 1000).toFixed(1)} s): registrations per tool ${JSON.stringify(after.registry)}` +
              ` (initializeTools() sees ${JSON.stringify(after.initialized)}, same registry: ${after.sameRegistry}),` +
              ` app connections ${measurement.connections}; generateScene replied “${measurement.generateReply}”,` +
              ` lab.generateScene replied “${measurement.labReply}”`,
          );
          return { measurement, view: after, before: view };
        };

        const once = Object.fromEntries(TOOL_NAMES.map((name) => [name, 1]));
        const first = await measure("first request", undefined);
        expect(first.measurement.registry).toEqual(once);
        expect(first.measurement.initialized).toEqual(once);
        expect(first.measurement.sameRegistry).toBe(true);
        expect(first.measurement.connections).toBeGreaterThanOrEqual(1);

        const originalAddScene = readFileSync(path.join(copy, ADD_SCENE), "utf8");
        const originalSchema = readFileSync(path.join(copy, SCHEMA), "utf8");
        expect(originalAddScene, `${ADD_SCENE} changed; update this test's edit`).toContain(ORIGINAL_DESCRIPTION);
        expect(originalAddScene, `${ADD_SCENE} changed; update this test's edit`).toContain(ORIGINAL_REPLY);

        for (let edit = 1; edit <= EDITS; edit++) {
          const marker = `[hot-reload edit ${edit}]`;
          writeFileSync(
            path.join(copy, ADD_SCENE),
            originalAddScene
              .replace(ORIGINAL_DESCRIPTION, `${ORIGINAL_DESCRIPTION} ${marker}`)
              .replace(ORIGINAL_REPLY, ORIGINAL_REPLY.replace("Added a scene:", `Added a scene ${marker}:`)),
          );
          writeFileSync(path.join(copy, SCHEMA), `${originalSchema}\n// ${marker}\n`);

          const { measurement, view } = await measure(`after edit ${edit}`, marker);
          // The edit was compiled and evaluated: this bundle's copies of the module have it…
          expect(view.bundleDescriptions.addScene).toContain(marker);
          expect(measurement.labReply).toContain(marker);
          // …and the registry still holds each tool once, the one registered at start-up.
          expect(measurement.registry).toEqual(once);
          expect(measurement.initialized).toEqual(once);
          expect(measurement.sameRegistry).toBe(true);
          expect(view.registeredDescriptions.addScene).toBe(ORIGINAL_DESCRIPTION);
          expect(measurement.generateReply).toMatch(/^Added a scene: /);
        }

        const last = measurements.at(-1);
        console.log(
          `[hot-reload] app connections: ${measurements.map((m) => `${m.step} ${m.connections}`).join(", ")}` +
            ` (${((Date.now() - started) / 1000).toFixed(1)} s with start-up)`,
        );
        expect(last?.connections).toBeLessThanOrEqual(first.measurement.connections);
      } catch (error) {
        if (server) console.log(`[hot-reload] last lines of the dev server:\n${server.recentOutput()}`);
        throw error;
      } finally {
        await monitor?.end({ timeout: 5 });
        await server?.stop();
        rmSync(copy, { recursive: true, force: true });
        rmSync(dataParent, { recursive: true, force: true });
      }
    },
    120_000,
  );
});

/** The work tree as `git ls-files` sees it (tracked + untracked, not ignored), node_modules linked. */
function copyWorkTree(from: string, to: string) {
  const listed = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: from,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  for (const file of new Set(listed.split("\0").filter(Boolean))) {
    const source = path.join(from, file);
    if (!existsSync(source) || !lstatSync(source).isFile()) continue; // deleted in the work tree, or a link
    if (/^(\.data|\.next|node_modules)(\/|$)/.test(file)) continue;
    mkdirSync(path.dirname(path.join(to, file)), { recursive: true });
    copyFileSync(source, path.join(to, file));
  }
  const nodeModules = realpathSync(path.join(from, "node_modules"));
  symlinkSync(nodeModules, path.join(to, "node_modules"), "dir");

  // Turbopack compiles nothing outside its root, and it resolves the node_modules link to
  // its real path: make the root the folder that holds both (the copy's config only).
  renameSync(path.join(to, "next.config.mjs"), path.join(to, "next.config.base.mjs"));
  writeFileSync(
    path.join(to, "next.config.mjs"),
    [
      'import base from "./next.config.base.mjs";',
      `export default { ...base, turbopack: { ...base.turbopack, root: ${JSON.stringify(commonAncestor(to, nodeModules))} } };`,
      "",
    ].join("\n"),
  );
}

function commonAncestor(a: string, b: string) {
  const left = path.resolve(a).split(path.sep);
  const right = path.resolve(b).split(path.sep);
  let shared = 0;
  while (shared < left.length && left[shared] === right[shared]) shared++;
  return left.slice(0, shared).join(path.sep) || path.sep;
}

function applyMutant(copy: string, name: string) {
  const mutant = mutants[name];
  if (!mutant) throw new Error(`Unknown HOT_RELOAD_MUTANT "${name}" (known: ${Object.keys(mutants).join(", ")})`);
  const file = path.join(copy, mutant.file);
  const source = readFileSync(file, "utf8");
  if (!source.includes(mutant.from)) throw new Error(`mutant ${name}: "${mutant.from}" not found in ${mutant.file}`);
  writeFileSync(file, source.replace(mutant.from, mutant.to));
  console.log(`[hot-reload] MUTANT ${name}: ${mutant.file} patched in the copy; this test must fail`);
}

interface DevServer {
  baseUrl: string;
  pgPort: number;
  recentOutput: () => string;
  stop: () => Promise<void>;
}

/** `with-database.ts next dev` in `cwd`, in its own process group; resolved once /api/health answers 200. */
async function startDevServer(cwd: string, dataDir: string): Promise<DevServer> {
  const port = await findFreePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "development", // what `npm run dev` has, not this worker's "test"
    PATH: `${path.join(cwd, "node_modules", ".bin")}${path.delimiter}${process.env.PATH ?? ""}`,
    PGDATA_DIR: dataDir,
    RACE_LAB: "1",
    GENERATION_LATENCY_MS: "0",
    NEXT_TELEMETRY_DISABLED: "1",
    PORT: String(port),
  };
  // Not the test run's database, nor its Vitest settings.
  for (const key of Object.keys(env)) if (key === "DATABASE_URL" || key.startsWith("VITEST")) delete env[key];
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "scripts/with-database.ts", "next", "dev", "--hostname", "127.0.0.1", "--port", String(port)],
    { cwd, env, stdio: ["ignore", "pipe", "pipe"], detached: true },
  );
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
    if (lines.length > 300) lines.splice(0, lines.length - 300);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const lastResort = () => signalGroup(child, "SIGKILL");
  process.on("exit", lastResort);

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      const postmasterPid = readPostmasterPid(dataDir);
      if (isRunning(child)) {
        // with-database forwards SIGTERM to next dev, then stops its PostgreSQL.
        child.kill("SIGTERM");
        if ((await Promise.race([exited.then(() => "exited"), delay(15_000, "timeout")])) === "timeout") {
          signalGroup(child, "SIGKILL");
          await exited;
        }
      }
      signalGroup(child, "SIGKILL"); // anything of the group still alive (next's workers)
      if (postmasterPid !== undefined) await stopPid(postmasterPid);
      process.off("exit", lastResort);
    })());

  const server: DevServer = {
    baseUrl: `http://127.0.0.1:${port}`,
    pgPort: 0,
    recentOutput: () => lines.slice(-60).join("\n"),
    stop,
  };
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (!isRunning(child)) throw new Error(`next dev exited during start:\n${server.recentOutput()}`);
      if ((await status(`${server.baseUrl}/api/health`)) === 200) break;
      if (Date.now() > deadline) throw new Error(`next dev did not answer /api/health within 60 s`);
      await delay(200);
    }
    const ready = lines.map((line) => /\[postgres\] ready on 127\.0\.0\.1:(\d+)/.exec(line)).find(Boolean);
    if (!ready?.[1]) throw new Error("could not read the embedded PostgreSQL port from the log");
    server.pgPort = Number(ready[1]);
    return server;
  } catch (error) {
    await stop();
    throw error;
  }
}

function isRunning(child: ChildProcess) {
  return child.exitCode === null && child.signalCode === null;
}

/** The child leads its own process group (detached): signal every process in it, and nothing else. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals) {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is gone
  }
}

function readPostmasterPid(dataDir: string) {
  try {
    const pid = Number.parseInt(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0] ?? "", 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Normally with-database has already stopped it; otherwise a fast shutdown, then SIGKILL. */
async function stopPid(pid: number) {
  if (!alive(pid)) return;
  process.kill(pid, "SIGINT");
  const deadline = Date.now() + 10_000;
  while (alive(pid) && Date.now() < deadline) await delay(100);
  if (alive(pid)) process.kill(pid, "SIGKILL");
}

async function status(url: string) {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

/** tRPC over HTTP (superjson's wire shape) with the session cookie the proxy hands out. */
class AppClient {
  #cookie = "";
  constructor(private readonly baseUrl: string) {}

  async #fetch(pathname: string, init: RequestInit = {}) {
    const headers = new Headers(init.headers);
    if (this.#cookie) headers.set("cookie", this.#cookie);
    const response = await fetch(`${this.baseUrl}${pathname}`, {
      ...init,
      headers,
      signal: AbortSignal.timeout(30_000),
    });
    const cookie = response.headers.getSetCookie().find((value) => value.startsWith(`${SESSION_COOKIE}=`));
    if (cookie) this.#cookie = cookie.split(";")[0] ?? "";
    const text = await response.text();
    if (!response.ok) throw new Error(`${init.method ?? "GET"} ${pathname} answered ${response.status}: ${text.slice(0, 500)}`);
    return JSON.parse(text) as unknown;
  }

  async trpc<T>(procedure: string, input: unknown): Promise<T> {
    const body = (await this.#fetch(`/api/trpc/${procedure}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ json: input }),
    })) as { result: { data: { json: T } } };
    return body.result.data.json;
  }

  registry() {
    return this.#fetch("/api/lab/tool-registry") as Promise<RegistryView>;
  }

  /** The file watcher sees an edit a moment after it is written: poll, with a deadline. */
  async pollRegistry(until: (view: RegistryView) => boolean) {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const view = await this.registry();
      if (until(view)) return view;
      if (Date.now() > deadline) return view; // the caller's expectations report what it saw
      await delay(100);
    }
  }
}
