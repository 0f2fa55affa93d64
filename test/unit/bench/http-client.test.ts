// The load client's response framing: a wrong split would count responses that never came (or
// miss ones that did), and every throughput figure of bench:proxy rests on it.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { headerOf, ResponseParser, runLoad, serialize } from "../../../bench/http-client.ts";

const bytes = (s: string) => Buffer.from(s, "latin1");
const ok = (body: string, extra = "") => `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n${extra}\r\n${body}`;

describe("ResponseParser", () => {
  it("frames responses by Content-Length, several in one chunk", () => {
    const parser = new ResponseParser();
    const out = parser.push(bytes(ok("ok") + ok("hello", "X-A: 1\r\n")));
    expect(out.map((r) => r.status)).toEqual([200, 200]);
    expect(headerOf(out[1]!.head, "x-a")).toBe("1");
  });

  it("waits for the rest of a head or a body split across chunks", () => {
    const parser = new ResponseParser();
    const wire = ok("abcdef");
    expect(parser.push(bytes(wire.slice(0, 10)))).toEqual([]);
    expect(parser.push(bytes(wire.slice(10, wire.length - 2)))).toEqual([]);
    expect(parser.push(bytes(wire.slice(wire.length - 2) + "HTTP/1.1 404 Not Found\r\n"))).toHaveLength(1);
    expect(parser.push(bytes("Content-Length: 0\r\n\r\n")).map((r) => r.status)).toEqual([404]);
  });

  it("frames chunked bodies, with extensions and trailers, byte by byte too", () => {
    const wire = "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\nX-Trailer: t\r\n\r\n" + ok("z");
    expect(new ResponseParser().push(bytes(wire)).map((r) => r.status)).toEqual([201, 200]);
    const parser = new ResponseParser();
    const statuses: number[] = [];
    for (const ch of wire) statuses.push(...parser.push(bytes(ch)).map((r) => r.status));
    expect(statuses).toEqual([201, 200]);
  });

  it("does not wait for a body on 204 and 304", () => {
    expect(new ResponseParser().push(bytes("HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 304 Not Modified\r\nETag: x\r\n\r\n")).map((r) => r.status)).toEqual([204, 304]);
  });

  it("refuses what it cannot frame instead of guessing", () => {
    expect(() => new ResponseParser().push(bytes("HTTP/1.1 200 OK\r\nX: y\r\n\r\nok"))).toThrow(/Content-Length or chunked/);
    expect(() => new ResponseParser().push(bytes("SSH-2.0-OpenSSH\r\n\r\n"))).toThrow(/not an HTTP\/1 response/);
  });
});

describe("headerOf", () => {
  it("finds a header by its whole name, trimmed, in a lower-cased head", () => {
    const head = "http/1.1 200 ok\r\nx-switchyard-version-old: 1\r\nx-switchyard-version:  7 \r\netag: \"7\"";
    expect(headerOf(head, "x-switchyard-version")).toBe("7");
    expect(headerOf(head, "etag")).toBe('"7"');
    expect(headerOf(head, "x-missing")).toBeNull();
  });
});

describe("serialize", () => {
  it("writes a request line, the headers and an empty body for methods that carry one", () => {
    expect(serialize({ method: "GET", path: "/a?b=1", headers: { host: "h.example" } }).toString()).toBe("GET /a?b=1 HTTP/1.1\r\nhost: h.example\r\n\r\n");
    expect(serialize({ method: "POST", path: "/", headers: { host: "h" } }).toString()).toBe("POST / HTTP/1.1\r\nhost: h\r\ncontent-length: 0\r\n\r\n");
  });
});

describe("runLoad against a local server", () => {
  const serve = async (handler: Parameters<typeof createServer>[1]) => {
    const server = createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return { port: (server.address() as AddressInfo).port, close: () => new Promise((r) => server.close(r)) };
  };
  const wire = serialize({ method: "GET", path: "/", headers: { host: "t" } });

  it("keeps its connections busy for the whole run, also when the server closes each one", async () => {
    let n = 0;
    const server = await serve((req, res) => {
      res.writeHead(n++ % 2 === 0 ? 200 : 404, { "content-length": "2", connection: "close" });
      res.end("ok");
    });
    try {
      const result = await runLoad({ port: server.port, requests: [wire], concurrency: 1, durationMs: 300 });
      expect(result.errors).toBe(0);
      expect(result.elapsedMs).toBeGreaterThanOrEqual(290);
      expect(result.responses).toBeGreaterThan(4);
      expect(result.latenciesUs).toHaveLength(result.responses);
      expect((result.statuses.get(200) ?? 0) + (result.statuses.get(404) ?? 0)).toBe(result.responses);
      expect(result.statuses.get(404)).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });

  it("counts a connection reset with a request in flight as an error, and goes on", async () => {
    let n = 0;
    const server = await serve((req, res) => {
      if (n++ === 2) return req.socket.destroy();
      res.writeHead(200, { "content-length": "0" });
      res.end();
    });
    try {
      const result = await runLoad({ port: server.port, requests: [wire], concurrency: 2, durationMs: 300 });
      expect(result.errors).toBe(1);
      expect(result.errorSamples[0]).toMatch(/socket/);
      expect(result.responses).toBeGreaterThan(4);
    } finally {
      await server.close();
    }
  });
});
