// A small HTTP/1.1 keep-alive load client for bench/proxy.ts: a fixed number of connections, each
// sending one request, waiting for its response and sending the next (closed loop), until a
// deadline. Hand-written over net.Socket because Node's http client costs several times more CPU
// per request, and the client shares the machine's two cores with workerd and the upstream.
import { connect, type Socket } from "node:net";

export interface ParsedResponse {
  readonly status: number;
  /** The status line and headers, lower-cased (for cheap lookups of a header or two). */
  readonly head: string;
}

type Body = { kind: "length"; left: number } | { kind: "chunked"; left: number; trailer: boolean };

const CRLF = Buffer.from("\r\n");
const HEAD_END = Buffer.from("\r\n\r\n");
const MAX_HEAD = 64 * 1024;

/** Splits a byte stream into responses. Bodies are skipped; their framing is Content-Length or chunked. */
export class ResponseParser {
  #buf: Buffer = Buffer.alloc(0);
  #current: { status: number; head: string; body: Body } | null = null;

  /** The responses completed by this chunk, in order. Throws on a stream it cannot frame. */
  push(chunk: Buffer): ParsedResponse[] {
    this.#buf = this.#buf.length === 0 ? chunk : Buffer.concat([this.#buf, chunk]);
    const out: ParsedResponse[] = [];
    for (;;) {
      if (!this.#current && !this.#readHead()) break;
      const current = this.#current!;
      if (!this.#skipBody(current.body)) break;
      out.push({ status: current.status, head: current.head });
      this.#current = null;
    }
    return out;
  }

  #readHead(): boolean {
    const end = this.#buf.indexOf(HEAD_END);
    if (end < 0) {
      if (this.#buf.length > MAX_HEAD) throw new Error("response head larger than 64 KiB");
      return false;
    }
    const head = this.#buf.toString("latin1", 0, end).toLowerCase();
    this.#buf = this.#buf.subarray(end + 4);
    const status = Number(head.slice(9, 12));
    if (!head.startsWith("http/1.") || !Number.isInteger(status)) throw new Error(`not an HTTP/1 response: ${head.slice(0, 40)}`);
    this.#current = { status, head, body: bodyOf(status, head) };
    return true;
  }

  /** Consumes what it can of the body; true once the whole body is gone. */
  #skipBody(body: Body): boolean {
    if (body.kind === "length") {
      const n = Math.min(body.left, this.#buf.length);
      body.left -= n;
      this.#buf = this.#buf.subarray(n);
      return body.left === 0;
    }
    for (;;) {
      if (body.left > 0) {
        const n = Math.min(body.left, this.#buf.length);
        body.left -= n;
        this.#buf = this.#buf.subarray(n);
        if (body.left > 0) return false;
      }
      const eol = this.#buf.indexOf(CRLF);
      if (eol < 0) return false;
      const line = this.#buf.toString("latin1", 0, eol);
      this.#buf = this.#buf.subarray(eol + 2);
      if (body.trailer) {
        if (line === "") return true; // the blank line after the last chunk (and any trailers)
        continue;
      }
      const size = parseInt(line, 16); // chunk extensions (";…") are ignored by parseInt
      if (!Number.isFinite(size) || size < 0) throw new Error(`bad chunk size line: ${line.slice(0, 20)}`);
      if (size === 0) body.trailer = true;
      else body.left = size + 2; // the data and its CRLF
    }
  }
}

function bodyOf(status: number, head: string): Body {
  if (status === 204 || status === 304 || (status >= 100 && status < 200)) return { kind: "length", left: 0 };
  if (/\r\ntransfer-encoding:[^\r]*chunked/.test(head)) return { kind: "chunked", left: 0, trailer: false };
  const length = /\r\ncontent-length:[ \t]*(\d+)/.exec(head);
  if (length) return { kind: "length", left: Number(length[1]) };
  throw new Error("response without Content-Length or chunked framing (read-until-close is not supported)");
}

/** The value of one header in a lower-cased head, or null. */
export function headerOf(head: string, name: string): string | null {
  const at = head.indexOf(`\r\n${name}:`);
  if (at < 0) return null;
  const from = at + name.length + 3;
  const end = head.indexOf("\r\n", from);
  return head.slice(from, end < 0 ? undefined : end).trim();
}

export interface RequestShape {
  readonly method: string;
  /** Path and query. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** One request as bytes on the wire: no body (Content-Length: 0 for methods that carry one). */
export function serialize(r: RequestShape): Buffer {
  const lines = [`${r.method} ${r.path} HTTP/1.1`];
  for (const [name, value] of Object.entries(r.headers)) lines.push(`${name}: ${value}`);
  if (r.method === "POST" || r.method === "PUT" || r.method === "PATCH") lines.push("content-length: 0");
  return Buffer.from(lines.join("\r\n") + "\r\n\r\n", "latin1");
}

export interface LoadOptions {
  readonly port: number;
  readonly host?: string;
  /** Sent round-robin over all connections. */
  readonly requests: readonly Buffer[];
  readonly concurrency: number;
  readonly durationMs: number;
  /** A request unanswered this long counts as an error and its connection is replaced. */
  readonly requestTimeoutMs?: number;
  /** Called with every response (e.g. to read a version header). */
  readonly onResponse?: (response: ParsedResponse) => void;
  /** When given, the load runs until this resolves instead of for durationMs (bounded by maxMs). */
  readonly until?: Promise<unknown>;
  readonly maxMs?: number;
}

export interface LoadResult {
  readonly responses: number;
  /** Status code → count. */
  readonly statuses: ReadonlyMap<number, number>;
  /** Socket errors, unparseable streams, timeouts. */
  readonly errors: number;
  readonly errorSamples: readonly string[];
  /** Per-response latency in microseconds, in completion order. */
  readonly latenciesUs: Float64Array;
  readonly elapsedMs: number;
}

/** Runs a closed-loop load and resolves when every connection has finished its last request. */
export function runLoad(o: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve) => {
    const statuses = new Map<number, number>();
    const errorSamples: string[] = [];
    let latencies = new Float64Array(1 << 16);
    let responses = 0;
    let errors = 0;
    let next = 0;
    let open = 0;
    let stopped = false;
    const start = performance.now();
    const timeoutMs = o.requestTimeoutMs ?? 10_000;
    const maxMs = o.maxMs ?? o.durationMs;
    const sockets = new Set<Socket>();
    const fail = (why: string) => {
      errors++;
      if (errorSamples.length < 5) errorSamples.push(why);
    };
    const record = (us: number) => {
      if (responses === latencies.length) {
        const bigger = new Float64Array(latencies.length * 2);
        bigger.set(latencies);
        latencies = bigger;
      }
      latencies[responses++] = us;
    };
    const finish = () => {
      if (open > 0) return;
      clearInterval(watchdog);
      resolve({ responses, statuses, errors, errorSamples, latenciesUs: latencies.subarray(0, responses), elapsedMs: performance.now() - start });
    };
    const stop = () => {
      stopped = true;
    };
    if (o.until) o.until.then(stop, stop);
    else setTimeout(stop, o.durationMs).unref();
    const hardStop = setTimeout(stop, maxMs);
    hardStop.unref();

    const openConnection = () => {
      open++;
      const socket = connect({ port: o.port, host: o.host ?? "127.0.0.1", noDelay: true });
      sockets.add(socket);
      const parser = new ResponseParser();
      let sentAt = 0;
      let inFlight = false;
      let closing = false;
      const send = () => {
        if (stopped) return close();
        sentAt = performance.now();
        inFlight = true;
        socket.write(o.requests[next++ % o.requests.length]!);
      };
      const close = () => {
        if (closing) return;
        closing = true;
        sockets.delete(socket);
        socket.destroy();
        open--;
        finish();
      };
      const replace = (why: string) => {
        if (closing) return;
        if (inFlight) fail(why);
        // The new connection first: with none open for a moment, the run would count as finished.
        if (!stopped) openConnection();
        close();
      };
      (socket as Socket & { sentAt?: () => number }).sentAt = () => (inFlight ? sentAt : Infinity);
      socket.on("connect", send);
      socket.on("data", (chunk: Buffer) => {
        let done: ParsedResponse[];
        try {
          done = parser.push(chunk);
        } catch (err) {
          return replace(`parse: ${(err as Error).message}`);
        }
        for (const r of done) {
          inFlight = false;
          record((performance.now() - sentAt) * 1000);
          statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
          o.onResponse?.(r);
          if (r.head.includes("\r\nconnection: close")) return replace("");
        }
        if (done.length > 0) send();
      });
      socket.on("error", (err) => replace(`socket: ${err.message}`));
      socket.on("close", () => replace("socket closed with a request in flight"));
    };

    const watchdog = setInterval(() => {
      const now = performance.now();
      for (const s of [...sockets]) {
        const at = (s as Socket & { sentAt?: () => number }).sentAt?.() ?? Infinity;
        if (now - at > timeoutMs) s.emit("error", new Error(`no response in ${timeoutMs} ms`));
      }
    }, 250);
    for (let i = 0; i < o.concurrency; i++) openConnection();
  });
}

/** One request on a fresh connection: its response, or an error after `timeoutMs`. */
export function requestOnce(port: number, wire: Buffer, timeoutMs = 10_000, host = "127.0.0.1"): Promise<ParsedResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host, noDelay: true });
    const parser = new ResponseParser();
    const timer = setTimeout(() => done(new Error(`no response in ${timeoutMs} ms`)), timeoutMs);
    const done = (result: ParsedResponse | Error) => {
      clearTimeout(timer);
      socket.destroy();
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    socket.on("connect", () => socket.write(wire));
    socket.on("data", (chunk: Buffer) => {
      try {
        const [first] = parser.push(chunk);
        if (first) done(first);
      } catch (err) {
        done(err as Error);
      }
    });
    socket.on("error", done);
    socket.on("close", () => done(new Error("connection closed before a response")));
  });
}
