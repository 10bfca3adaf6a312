/**
 * The life of a bench/soak run: a hard deadline, cleanup on every way out (normal end,
 * error, Ctrl-C, SIGTERM, the deadline), each cleanup step run once, newest first.
 */
export type Cleanup = () => Promise<void> | void;

export interface ScriptRunOptions {
  /** Log prefix, e.g. "bench". */
  label: string;
  /** The whole run is stopped (exit code 124) when it takes longer than this. */
  deadlineMs: number;
}

export class ScriptRun {
  readonly label: string;
  readonly startedAt = Date.now();
  private readonly cleanups: { name: string; fn: Cleanup }[] = [];
  private cleaning: Promise<void> | undefined;
  private readonly deadlineMs: number;

  constructor({ label, deadlineMs }: ScriptRunOptions) {
    this.label = label;
    this.deadlineMs = deadlineMs;
  }

  log(message: string) {
    console.log(`[${this.label}] ${message}`);
  }

  /** Seconds since the run started. */
  elapsed() {
    return (Date.now() - this.startedAt) / 1000;
  }

  /** Milliseconds left before the hard deadline. */
  remainingMs() {
    return this.startedAt + this.deadlineMs - Date.now();
  }

  /** True once cleanup has begun (a signal, the deadline, or the end): load loops should stop. */
  get stopping() {
    return this.cleaning !== undefined;
  }

  /** Registers a cleanup step; steps run newest first, each at most once. */
  defer(name: string, fn: Cleanup) {
    this.cleanups.push({ name, fn });
  }

  cleanup(): Promise<void> {
    return (this.cleaning ??= (async () => {
      for (const { name, fn } of this.cleanups.reverse()) {
        const started = Date.now();
        try {
          await fn();
          const seconds = (Date.now() - started) / 1000;
          if (seconds > 2) console.error(`[${this.label}] stopping ${name} took ${seconds.toFixed(1)} s`);
        } catch (error) {
          console.error(`[${this.label}] cleanup "${name}" failed:`, error);
        }
      }
    })());
  }

  /**
   * Runs `main` and exits with its code after cleaning up, also on SIGINT/SIGTERM: the
   * app servers are stopped before the database.
   */
  execute(main: () => Promise<number>): void {
    const finish = (code: number) => {
      void this.cleanup().then(() => process.exit(code));
    };
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      process.on(signal, () => {
        if (this.cleaning) return;
        console.error(`\n[${this.label}] ${signal}: stopping the servers and the database`);
        finish(130);
      });
    }
    const deadline = setTimeout(() => {
      console.error(`[${this.label}] hard deadline of ${this.deadlineMs / 1000} s reached: stopping`);
      finish(124);
    }, this.deadlineMs);
    deadline.unref();

    main().then(
      (code) => finish(code),
      (error: unknown) => {
        // After a signal or the deadline, requests fail because the servers are going away: not news.
        if (!this.cleaning) console.error(`[${this.label}] failed:`, error instanceof Error ? (error.stack ?? error.message) : error);
        finish(1);
      },
    );
  }
}
