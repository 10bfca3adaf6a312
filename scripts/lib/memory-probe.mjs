/**
 * A test-harness preload, never part of the app: scripts/lib/server-memory.ts starts each soak
 * server as `node --expose-gc --import <this file> next start`, so the probe runs inside the
 * real server process and the app's own code needs no memory endpoint. With MEMORY_PROBE_DIR
 * set, it writes `<dir>/<pid>.json` once at start (so the soak knows the probe is there before
 * it sends a signal whose default action would end the process), then again on every SIGUSR2,
 * after a full garbage collection (`global.gc`, there with --expose-gc): `answer` (a count, to
 * tell a new report from the last one) and process.memoryUsage(). Plain JavaScript: the
 * production server runs without tsx.
 */
import { renameSync, writeFileSync } from "node:fs";
import path from "node:path";

const dir = process.env.MEMORY_PROBE_DIR;

if (dir) {
  const file = path.join(dir, `${process.pid}.json`);
  let answer = 0;
  const write = () => {
    const gc = typeof globalThis.gc === "function";
    if (answer > 0 && gc) {
      // Twice: the first run's finalizers and weak callbacks free more on the second.
      globalThis.gc();
      globalThis.gc();
    }
    const report = { pid: process.pid, answer, gc, at: Date.now(), ...process.memoryUsage() };
    writeFileSync(`${file}.tmp`, JSON.stringify(report));
    renameSync(`${file}.tmp`, file); // whole or not at all for the reader
    answer++;
  };
  write();
  process.on("SIGUSR2", write);
}
