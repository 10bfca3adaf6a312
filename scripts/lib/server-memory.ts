/**
 * The memory of `next start` servers, for the soak: each is started with the node arguments
 * and environment of a `MemoryProbe` (./memory-probe.mjs preloaded, --expose-gc), and
 * `measure(pid)` asks that process, by SIGUSR2, to collect garbage and write its V8 heap, then
 * reads its resident set (VmRSS) from /proc/<pid>/status. The pid is the one `next start` runs
 * as (scripts/lib/next-app.ts spawns `node … next start` itself, no wrapper, and `next start`
 * serves in that process); the probe's report names its own pid, and a report for another pid
 * is not taken.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { fileURLToPath, pathToFileURL } from "node:url";

const PROBE = path.join(path.dirname(fileURLToPath(import.meta.url)), "memory-probe.mjs");
const MiB = 1024 * 1024;

interface ProbeReport {
  pid: number;
  answer: number;
  gc: boolean;
  rss: number;
  heapUsed: number;
  heapTotal: number;
}

export interface ServerMemory {
  /** VmRSS of the server process, MiB. */
  rssMiB: number;
  /** V8 heap in use after a full GC (when `gc`), MiB. */
  heapUsedMiB: number;
  heapTotalMiB: number;
  /** Whether the heap was measured after a forced GC (--expose-gc took). */
  gc: boolean;
}

export class MemoryProbe {
  private readonly dir = mkdtempSync(path.join(os.tmpdir(), "soak-memory-"));

  /** Arguments for `node` before the script: the probe, and a GC it may force. */
  readonly nodeArgs = ["--expose-gc", "--import", pathToFileURL(PROBE).href];

  /** Where the probe writes. */
  readonly env = { MEMORY_PROBE_DIR: this.dir };

  /** The memory of process `pid` now, after a GC; throws when it does not answer within `timeoutMs`. */
  async measure(pid: number, timeoutMs = 5000): Promise<ServerMemory> {
    const file = path.join(this.dir, `${pid}.json`);
    // Without the probe, SIGUSR2 would end the server: it announces itself at start.
    if (!existsSync(file)) throw new Error(`no memory probe runs in process ${pid}`);
    const before = this.read(file)?.answer ?? 0;
    process.kill(pid, "SIGUSR2");
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const report = this.read(file);
      if (report && report.answer > before && report.pid === pid) {
        return {
          rssMiB: vmRssMiB(pid) ?? report.rss / MiB,
          heapUsedMiB: report.heapUsed / MiB,
          heapTotalMiB: report.heapTotal / MiB,
          gc: report.gc,
        };
      }
      if (Date.now() > deadline) throw new Error(`process ${pid} did not report its memory within ${timeoutMs} ms`);
      await delay(20);
    }
  }

  dispose() {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private read(file: string): ProbeReport | undefined {
    try {
      return JSON.parse(readFileSync(file, "utf8")) as ProbeReport;
    } catch {
      return undefined;
    }
  }
}

/** VmRSS of `pid` from /proc (Linux), in MiB. */
function vmRssMiB(pid: number): number | undefined {
  try {
    const kib = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kib === undefined ? undefined : Number(kib) / 1024;
  } catch {
    return undefined;
  }
}
