/**
 * The app server's memory, as the kernel counts it: VmRSS (resident now) and VmHWM (the
 * peak) from /proc/<pid>/status. `next start` is spawned as `node …/next start`
 * (scripts/lib/next-app.ts); should it ever serve from a child process instead, the
 * child is the one measured, never a wrapper that only waits for it.
 */
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

export interface ProcessMemory {
  pid: number;
  /** Resident set size now, in bytes. */
  rss: number;
  /** The highest resident set size so far, in bytes. */
  peak: number;
  command: string;
}

function statusField(status: string, field: string) {
  const kib = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1];
  return kib === undefined ? Number.NaN : Number(kib) * 1024;
}

function command(pid: number) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
  } catch {
    return "";
  }
}

/** The pids whose parent is `pid`. */
function children(pid: number) {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // pid (comm) state ppid …; comm may hold spaces and parentheses, so read after the last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

function executable(pid: number) {
  try {
    return readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return "";
  }
}

/**
 * `pid`, or the Node process it runs the server in when it is only a wrapper with one Node
 * child (same executable; Next renames its server process "next-server", so the name says nothing).
 */
export function serverProcess(pid: number): number {
  let current = pid;
  for (let depth = 0; depth < 5; depth++) {
    const node = executable(current);
    const nodeChildren = children(current).filter((child) => node !== "" && executable(child) === node);
    if (nodeChildren.length !== 1) return current;
    current = nodeChildren[0]!;
  }
  return current;
}

/** The memory of the process serving for `pid` (see serverProcess); undefined off Linux. */
export function serverMemory(pid: number): ProcessMemory | undefined {
  const server = serverProcess(pid);
  try {
    const status = readFileSync(`/proc/${server}/status`, "utf8");
    return { pid: server, rss: statusField(status, "VmRSS"), peak: statusField(status, "VmHWM"), command: command(server) };
  } catch {
    return undefined;
  }
}

export const mib = (bytes: number) => (Number.isFinite(bytes) ? `${(bytes / 2 ** 20).toFixed(0)} MiB` : "–");
