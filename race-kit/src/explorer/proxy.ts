/**
 * The explorer's hook at the connection: a loopback proxy in front of PostgreSQL, one
 * per request ("lane"). The code under test connects through it with its own, unchanged
 * driver; the proxy groups what the driver sends into statements (a simple Query, or
 * an extended-protocol batch up to its Sync) and, while armed, holds each statement
 * until the explorer releases it. It forwards at once what cannot affect another
 * session (see `isFusable` and the reductions in race-kit/README.md). It sees each
 * statement end (ReadyForQuery) and its error, and names the connection (its
 * `application_name`), so the explorer can ask the server whether a released statement is
 * waiting for a lock, also through a transaction pooler.
 */
import net from "node:net";

import {
  bindMessage,
  CANCEL_REQUEST,
  errorFields,
  GSSENC_REQUEST,
  MessageReader,
  parseMessage,
  queryText,
  readStartupPacket,
  simpleQuery,
  SSL_REQUEST,
  type Message,
  withApplicationName,
} from "./wire";

export interface StepRecord {
  lane: string;
  /** 1-based position among this lane's held statements in this run. */
  index: number;
  sql: string;
  params: (string | null)[];
  /** Milliseconds since the run started. */
  releasedAtMs: number;
  completedAtMs?: number;
  /** Set when the server reported the statement waiting for a lock. */
  waited?: { sinceMs: number; blockers: string[] };
  error?: { sqlState: string; message: string };
  /** ReadyForQuery's status after the statement: I idle, T in a transaction, E failed transaction. */
  transactionStatus?: "I" | "T" | "E";
}

interface Group {
  messages: Message[];
  sql: string;
  params: (string | null)[];
  /** Runs something (Execute or Query), as opposed to Parse / Describe only. */
  executes: boolean;
  /** Ends with Sync or is a Query: one ReadyForQuery answers it. */
  answered: boolean;
  released: boolean;
  step?: StepRecord;
}

/**
 * Statements that cannot affect, or be affected by, another session, and so may run at
 * once instead of waiting for a turn (fused with the lane's next statement): opening a
 * transaction (PostgreSQL takes the snapshot at the first statement, not at BEGIN, at
 * every isolation level) and transaction-local settings.
 */
export function isFusable(sql: string): boolean {
  const text = sql.trim().replace(/;\s*$/, "").toLowerCase();
  return (
    /^(begin|start transaction)(\s+(isolation level [a-z ]+|read only|read write|not deferrable|deferrable|,))*$/.test(text) ||
    /^set\s+local\s+[\w.]+\s*(=|to)\s*('[^']*'|[\w.]+)$/.test(text) ||
    /^select\s+set_config\(\s*('[\w.]+'|\$1)\s*,\s*('[^']*'|\$\d)\s*,\s*true\s*\)$/.test(text)
  );
}

export class LaneProxy {
  readonly name: string;
  /** The connection's `application_name`, set by the proxy: how the server's views name this lane. */
  readonly applicationName: string;
  /** The pid in BackendKeyData: set once the connection has opened (behind a pooler, not a backend's). */
  pid: number | undefined;
  /** Called on every change a scheduler may wait for. */
  onChange: () => void = () => undefined;
  /** Milliseconds since the run started, for step records. */
  clock: () => number = () => 0;

  readonly #server: net.Server;
  readonly #upstreamHost: string;
  readonly #upstreamPort: number;
  #client: net.Socket | undefined;
  #upstream: net.Socket | undefined;
  #armed = false;
  #ready = false;
  #queue: Group[] = [];
  #awaitingAnswer: Group[] = [];
  #inFlight: StepRecord | undefined;
  #statements = new Map<string, string>();
  #stepCount = 0;
  #current: Message[] = [];
  #injecting: { resolve: (error?: string) => void; error?: string } | undefined;
  #failure: Error | undefined;

  private constructor(name: string, applicationName: string, upstreamHost: string, upstreamPort: number) {
    this.name = name;
    this.applicationName = applicationName;
    this.#upstreamHost = upstreamHost;
    this.#upstreamPort = upstreamPort;
    this.#server = net.createServer((socket) => this.#accept(socket));
  }

  static async listen(name: string, applicationName: string, upstreamHost: string, upstreamPort: number): Promise<LaneProxy> {
    const proxy = new LaneProxy(name, applicationName, upstreamHost, upstreamPort);
    await new Promise<void>((resolve, reject) => {
      proxy.#server.once("error", reject);
      proxy.#server.listen(0, "127.0.0.1", () => resolve());
    });
    return proxy;
  }

  get port(): number {
    const address = this.#server.address();
    if (!address || typeof address === "string") throw new Error("proxy is not listening");
    return address.port;
  }

  get failure() {
    return this.#failure;
  }

  /** Held from now on: every statement waits for `release()`. */
  arm() {
    this.#stepCount = 0;
    this.#armed = true;
  }

  disarm() {
    this.#armed = false;
    this.#pump();
  }

  /** The statement waiting for its turn, if the lane is waiting for one. */
  get pending(): { sql: string; params: (string | null)[]; index: number } | undefined {
    if (!this.#armed || this.#inFlight) return undefined;
    const head = this.#queue[0];
    if (!head || !this.#held(head) || head.released) return undefined;
    return { sql: head.sql, params: head.params, index: this.#stepCount + 1 };
  }

  /** The released statement the server is still running (or holding in a lock wait). */
  get inFlight(): StepRecord | undefined {
    return this.#inFlight;
  }

  /** True while the connection has nothing queued, running or unanswered. */
  get idle() {
    return this.#queue.length === 0 && this.#awaitingAnswer.length === 0 && !this.#inFlight;
  }

  release(): StepRecord {
    const head = this.#queue[0];
    if (!this.pending || !head) throw new Error(`lane ${this.name} has no statement waiting`);
    head.released = true;
    const step: StepRecord = {
      lane: this.name,
      index: ++this.#stepCount,
      sql: head.sql,
      params: head.params,
      releasedAtMs: this.clock(),
    };
    head.step = step;
    this.#inFlight = step;
    this.#pump();
    return step;
  }

  /**
   * Runs a statement of the explorer's own on this lane's idle connection (a setting);
   * the driver never sees it or its answer. Resolves with the error message, if any.
   */
  inject(sql: string): Promise<string | undefined> {
    if (!this.#upstream || !this.#ready || !this.idle || this.#injecting) {
      return Promise.reject(new Error(`lane ${this.name}: cannot inject into a busy or closed connection`));
    }
    return new Promise((resolve) => {
      this.#injecting = { resolve };
      this.#upstream?.write(simpleQuery(sql));
    });
  }

  async close() {
    this.#client?.destroy();
    this.#upstream?.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #held(group: Group) {
    return this.#armed && group.executes && !isFusable(group.sql);
  }

  #fail(message: string) {
    this.#failure ??= new Error(message);
    this.onChange();
  }

  #accept(client: net.Socket) {
    let startup: Buffer = Buffer.alloc(0);
    let upstream: net.Socket | undefined;
    const reader = new MessageReader();
    let typed = false;
    client.setNoDelay(true);

    client.on("data", (chunk: Buffer) => {
      if (typed) return this.#fromClient(reader.push(chunk));
      startup = Buffer.concat([startup, chunk]);
      for (let packet = readStartupPacket(startup); packet; packet = readStartupPacket(startup)) {
        startup = packet.rest;
        if (packet.code === SSL_REQUEST || packet.code === GSSENC_REQUEST) {
          client.write("N");
          continue;
        }
        upstream = net.connect(this.#upstreamPort, this.#upstreamHost);
        upstream.setNoDelay(true);
        upstream.on("error", () => client.destroy());
        upstream.on("close", () => client.destroy());
        client.on("close", () => upstream?.destroy());
        client.on("error", () => upstream?.destroy());
        if (packet.code === CANCEL_REQUEST) {
          // A cancel travels on a connection of its own: pass it through untouched.
          upstream.write(packet.packet);
          upstream.pipe(client);
          return;
        }
        if (this.#client) {
          this.#fail(`lane ${this.name} opened a second connection: give each request a pool of one connection (max: 1)`);
          client.destroy();
          return;
        }
        this.#client = client;
        this.#upstream = upstream;
        const serverReader = new MessageReader();
        upstream.on("data", (data: Buffer) => this.#fromServer(serverReader.push(data)));
        upstream.write(withApplicationName(packet.packet, this.applicationName));
        typed = true;
        if (startup.length > 0) this.#fromClient(reader.push(startup));
        return;
      }
    });
  }

  #fromClient(messages: Message[]) {
    for (const message of messages) {
      if (!this.#ready) {
        this.#upstream?.write(message.bytes);
        continue;
      }
      this.#current.push(message);
      if ("SHQX".includes(message.type)) {
        this.#queue.push(this.#group(this.#current));
        this.#current = [];
      }
    }
    this.#pump();
  }

  #group(messages: Message[]): Group {
    let sql = "";
    let params: (string | null)[] = [];
    let executes = false;
    for (const message of messages) {
      if (message.type === "Q") {
        sql = queryText(message);
        executes = true;
      } else if (message.type === "P") {
        const parsed = parseMessage(message);
        this.#statements.set(parsed.name, parsed.sql);
        sql = parsed.sql;
      } else if (message.type === "B") {
        const bound = bindMessage(message);
        sql = this.#statements.get(bound.statement) ?? sql;
        params = bound.params;
      } else if (message.type === "E") {
        executes = true;
      }
    }
    const last = messages[messages.length - 1]?.type;
    return { messages, sql, params, executes, answered: last === "S" || last === "Q", released: false };
  }

  #pump() {
    while (this.#queue.length > 0) {
      const head = this.#queue[0];
      if (!head) break;
      if (this.#held(head) && !head.released) break;
      this.#queue.shift();
      this.#upstream?.write(Buffer.concat(head.messages.map((message) => message.bytes)));
      if (head.answered) this.#awaitingAnswer.push(head);
    }
    this.onChange();
  }

  #fromServer(messages: Message[]) {
    const forward: Buffer[] = [];
    for (const message of messages) {
      if (this.#injecting) {
        if (message.type === "E") this.#injecting.error = errorFields(message).message;
        if (message.type === "Z") {
          const { resolve, error } = this.#injecting;
          this.#injecting = undefined;
          resolve(error);
        }
        continue;
      }
      forward.push(message.bytes);
      if (message.type === "K") this.pid = message.body.readInt32BE(0);
      else if (message.type === "E") {
        const group = this.#awaitingAnswer[0];
        if (group?.step && !group.step.error) group.step.error = errorFields(message);
      } else if (message.type === "Z") {
        if (!this.#ready) {
          this.#ready = true;
          continue;
        }
        const group = this.#awaitingAnswer.shift();
        if (group?.step) {
          group.step.completedAtMs = this.clock();
          group.step.transactionStatus = String.fromCharCode(message.body[0] ?? 73) as "I" | "T" | "E";
          if (this.#inFlight === group.step) this.#inFlight = undefined;
        }
      }
    }
    if (forward.length > 0) this.#client?.write(Buffer.concat(forward));
    this.#pump();
  }
}
