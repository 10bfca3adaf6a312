/**
 * Runs Vitest as a child process with an environment of its own (which driver, which URL),
 * its usual output on the terminal, and reads back what passed from its JSON reporter:
 * the pooler pass and the matrix count tests per file this way instead of parsing text.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export interface FileResult {
  /** Relative to the repo, with forward slashes. */
  file: string;
  passed: boolean;
  tests: number;
  failed: number;
}

export interface VitestRun {
  exitCode: number;
  seconds: number;
  files: FileResult[];
}

interface JsonReport {
  testResults?: { name: string; status: string; assertionResults?: { status: string }[] }[];
}

export async function runVitest(files: string[], env: Record<string, string | undefined>): Promise<VitestRun> {
  const dir = mkdtempSync(path.join(tmpdir(), "race-safe-vitest-"));
  const output = path.join(dir, "report.json");
  const started = Date.now();
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete childEnv[name];
    else childEnv[name] = value;
  }
  const child = spawn(
    "npx",
    ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${output}`, ...files],
    { stdio: "inherit", env: childEnv },
  );
  const exitCode = await new Promise<number>((resolve) => child.on("exit", (code) => resolve(code ?? 1)));
  const seconds = Math.round((Date.now() - started) / 1000);
  try {
    const report = JSON.parse(readFileSync(output, "utf8")) as JsonReport;
    const results = (report.testResults ?? []).map((result) => {
      const assertions = result.assertionResults ?? [];
      return {
        file: path.relative(process.cwd(), result.name).split(path.sep).join("/"),
        passed: result.status === "passed",
        tests: assertions.length,
        failed: assertions.filter((assertion) => assertion.status === "failed").length,
      };
    });
    return { exitCode, seconds, files: results };
  } catch {
    // No report: Vitest failed before running anything (a config or start-up error).
    return { exitCode: exitCode || 1, seconds, files: [] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
