/**
 * A small tRPC-over-HTTP driver for the bench and the soak: node:http with keep-alive
 * sockets on loopback, one non-batched request per call (what tRPC's httpLink sends),
 * superjson's wire shape (`{ json: input }` in, `{ result: { data: { json } } }` out),
 * and the session cookie the proxy sets on a first request, kept per simulated user.
 */
import http from "node:http";
import { performance } from "node:perf_hooks";

export interface HttpResult {
  /** HTTP status; 0 when the request never got an answer (network error, timeout). */
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** Milliseconds until the status line and headers arrived (time to first byte). */
  ttfbMs: number;
  /** Milliseconds until the whole body arrived. */
  ms: number;
  /** Set when status is 0. */
  networkError?: string;
}

export interface CallResult<T> {
  ok: boolean;
  status: number;
  ms: number;
  /** Size of the response body. */
  bytes: number;
  data?: T;
  /** tRPC error code (NOT_FOUND, TOO_MANY_REQUESTS, …), or NETWORK / BAD_RESPONSE. */
  code?: string;
  message?: string;
}

const REQUEST_TIMEOUT_MS = 30_000;

/** One keep-alive agent per run: sockets are reused across simulated users, as a load balancer would. */
/**
 * Keep-alive sockets, each closed by us after 4 s idle: the app server closes an idle socket
 * after 5 s (Node's keepAliveTimeout), and a request written to a socket at that moment gets
 * ECONNRESET without ever reaching the app (seen once in 2919 soak requests over three instances).
 */
export function createAgent() {
  return new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 512, timeout: 4_000 });
}

const closedAgents = new WeakSet<http.Agent>();

/**
 * Ends a run's traffic: closes its sockets and fails every later request at once, so a
 * load loop still running on the way out (Ctrl-C, the deadline) cannot keep a server's
 * graceful shutdown waiting.
 */
export function closeAgent(agent: http.Agent) {
  closedAgents.add(agent);
  agent.destroy();
}

export function httpRequest(
  agent: http.Agent,
  url: URL,
  { method = "GET", headers = {}, body }: { method?: string; headers?: http.OutgoingHttpHeaders; body?: string } = {},
): Promise<HttpResult> {
  const started = performance.now();
  if (closedAgents.has(agent)) {
    return Promise.resolve({ status: 0, headers: {}, body: Buffer.alloc(0), ttfbMs: 0, ms: 0, networkError: "the run is stopping" });
  }
  return new Promise((resolve) => {
    let ttfbMs = 0;
    const fail = (message: string) =>
      resolve({ status: 0, headers: {}, body: Buffer.alloc(0), ttfbMs, ms: performance.now() - started, networkError: message });
    const request = http.request(
      url,
      {
        agent,
        method,
        headers: body === undefined ? headers : { ...headers, "content-length": Buffer.byteLength(body) },
        timeout: REQUEST_TIMEOUT_MS,
      },
      (response) => {
        ttfbMs = performance.now() - started;
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks),
            ttfbMs,
            ms: performance.now() - started,
          }),
        );
        response.on("error", (error) => fail(error.message));
      },
    );
    request.on("timeout", () => request.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    request.on("error", (error) => fail(error.message));
    request.end(body);
  });
}

interface TrpcEnvelope<T> {
  result?: { data?: { json?: T } };
  error?: { json?: { message?: string; data?: { code?: string; httpStatus?: number } } };
}

/**
 * One simulated user: a session cookie (taken from the first answer's Set-Cookie) and a
 * base URL. `tab(baseUrl)` is the same user in another tab, possibly on another app
 * instance; tabs share the cookie, like a browser's tabs do.
 */
export class TrpcUser {
  private state: { cookie?: string };

  constructor(
    readonly baseUrl: string,
    readonly agent: http.Agent,
    state: { cookie?: string } = {},
  ) {
    this.state = state;
  }

  get cookie() {
    return this.state.cookie;
  }

  tab(baseUrl = this.baseUrl) {
    return new TrpcUser(baseUrl, this.agent, this.state);
  }

  query<T>(path: string, input?: unknown) {
    const search = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
    return this.call<T>("GET", `/api/trpc/${path}${search}`);
  }

  mutation<T>(path: string, input?: unknown) {
    return this.call<T>("POST", `/api/trpc/${path}`, JSON.stringify({ json: input ?? null }));
  }

  /** A page or any other GET, with this user's cookie. */
  async get(pathname: string) {
    const result = await httpRequest(this.agent, new URL(pathname, this.baseUrl), { headers: this.headers() });
    this.keepCookie(result.headers);
    return result;
  }

  private headers(): http.OutgoingHttpHeaders {
    return this.state.cookie ? { cookie: this.state.cookie } : {};
  }

  private keepCookie(headers: http.IncomingHttpHeaders) {
    const session = headers["set-cookie"]?.find((line) => line.startsWith("rs_session="));
    if (session) this.state.cookie = session.split(";")[0];
  }

  private async call<T>(method: "GET" | "POST", path: string, body?: string): Promise<CallResult<T>> {
    const response = await httpRequest(this.agent, new URL(path, this.baseUrl), {
      method,
      body,
      headers: { ...this.headers(), ...(body === undefined ? {} : { "content-type": "application/json" }) },
    });
    this.keepCookie(response.headers);
    const { status, ms } = response;
    const bytes = response.body.length;
    if (status === 0) return { ok: false, status, ms, bytes, code: "NETWORK", message: response.networkError };
    let envelope: TrpcEnvelope<T>;
    try {
      envelope = JSON.parse(response.body.toString("utf8")) as TrpcEnvelope<T>;
    } catch {
      return { ok: false, status, ms, bytes, code: "BAD_RESPONSE", message: response.body.toString("utf8").slice(0, 200) };
    }
    if (envelope.error || status >= 400) {
      const error = envelope.error?.json;
      return { ok: false, status, ms, bytes, code: error?.data?.code ?? `HTTP_${status}`, message: error?.message };
    }
    return { ok: true, status, ms, bytes, data: envelope.result?.data?.json };
  }
}
