// The transport: deadlines, cf cache settings, manual redirects, client aborts, service bindings,
// WebSockets, streaming through tracked pools, forwarded and hop-by-hop headers, and no open proxy.
import { afterEach, describe, expect, it, vi } from "vitest";
import { transportOptions } from "../../../worker/compile/service-transport.ts";
import { validateConfig } from "../../../worker/config/index.ts";
import { transportFailure } from "../../../worker/services/proxy.ts";
import { get, hits, routed, snapshotOf, uniquePath, upstreams, who, type Echo } from "./helpers.ts";

function withTransport(transport: Record<string, unknown>, lb: Record<string, unknown> = {}) {
  return snapshotOf(
    routed({ svc: { loadBalancer: { servers: [{ url: upstreams.s1 }], serversTransport: "t", ...lb } } }, "svc", { serversTransports: { t: transport } }),
  );
}

function slowBody(chunks: number, gapMs: number, size = 1024): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (sent === chunks) return controller.close();
      if (sent > 0) await new Promise((r) => setTimeout(r, gapMs));
      sent++;
      controller.enqueue(new Uint8Array(size).fill(97));
    },
  });
}

describe("forwardingTimeouts", () => {
  it("responseHeaderTimeout: 504 when the answer is late, counted from the end of the upload", async () => {
    const s = withTransport({ forwardingTimeouts: { responseHeaderTimeout: "300ms" } });
    const late = await get(s, "https://t.test/slow?ms=1500");
    expect(late.status).toBe(504);
    expect(transportFailure(late)).toBe("timeout");
    // 4 chunks 200 ms apart: the upload alone outlasts the deadline, which only starts after it.
    const upload = await get(s, "https://t.test/upload", { method: "POST", body: slowBody(4, 200) });
    expect(upload.status).toBe(200);
    expect(((await upload.json()) as Echo).bodyBytes).toBe(4096);
  });

  it("keeps the request's Content-Length while watching the upload", async () => {
    const s = withTransport({ forwardingTimeouts: { responseHeaderTimeout: "2s" } });
    const path = uniquePath("cl");
    await (await get(s, `https://t.test${path}`, { method: "POST", body: "hello", headers: { "content-length": "5" } })).arrayBuffer();
    const [hit] = (await hits(upstreams.s1, path)).hits;
    expect([hit!.bodyBytes, hit!.headers["content-length"], hit!.headers["transfer-encoding"]]).toEqual([5, "5", undefined]);
  });

  it("overallTimeout: 504 before the headers; after them, the body is cut short", async () => {
    const s = withTransport({ forwardingTimeouts: { overallTimeout: "400ms" } });
    expect((await get(s, "https://t.test/slow?ms=1500")).status).toBe(504);
    const res = await get(s, "https://t.test/stream?n=20&ms=100");
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let text = "";
    let cut = false;
    try {
      for (let r = await reader.read(); !r.done; r = await reader.read()) text += new TextDecoder().decode(r.value);
    } catch {
      cut = true;
    }
    const events = (text.match(/^data: /gm) ?? []).length;
    expect(cut).toBe(true);
    expect(events).toBeGreaterThan(0);
    expect(events).toBeLessThan(20);
  });

  it("dialTimeout and idleConnTimeout are accepted with a warning (fetch() manages connections on Workers)", async () => {
    const transport = { forwardingTimeouts: { dialTimeout: "1s", idleConnTimeout: "90s", overallTimeout: "5s" } };
    const s = withTransport(transport);
    expect((await get(s, "https://t.test/")).status).toBe(200);
    const valid = validateConfig(routed({ svc: { loadBalancer: { servers: [{ url: upstreams.s1 }], serversTransport: "t" } } }, "svc", { serversTransports: { t: transport } }));
    expect(valid.ok && valid.warnings.map((w) => [w.path, w.message])).toEqual([
      ["http.serversTransports.t.forwardingTimeouts", "only responseHeaderTimeout and overallTimeout apply on Workers; ignored: dialTimeout, idleConnTimeout"],
    ]);
  });
});

describe("fetch options", () => {
  afterEach(() => vi.restoreAllMocks());

  it("passes the transport's cf cache settings and always redirect: manual", async () => {
    expect(transportOptions({ cf: { cacheEverything: true, cacheTtl: 60, cacheTtlByStatus: { "200-299": 60, "404": 1 } } })).toEqual({
      responseHeaderTimeoutMs: 0,
      overallTimeoutMs: 0,
      cf: { cacheEverything: true, cacheTtl: 60, cacheTtlByStatus: { "200-299": 60, "404": 1 } },
    });
    const spy = vi.spyOn(globalThis, "fetch");
    const s = withTransport({ cf: { cacheTtl: 30, cacheEverything: true } });
    await (await get(s, "https://t.test/")).arrayBuffer();
    const init = spy.mock.calls.at(-1)![1] as RequestInit;
    expect(init.cf).toEqual({ cacheTtl: 30, cacheEverything: true });
    expect(init.redirect).toBe("manual");
  });

  it("hands redirects back to the client", async () => {
    const res = await get(withTransport({}), "https://t.test/status/301");
    expect(res.status).toBe(301);
  });
});

describe("client aborts", () => {
  it("end the upstream exchange with a quiet 499 that is not a transport failure", async () => {
    const errors = vi.spyOn(console, "error");
    const abort = new AbortController();
    const started = Date.now();
    const pending = get(withTransport({}), "https://t.test/slow?ms=3000", { signal: abort.signal });
    setTimeout(() => abort.abort(), 50);
    const res = await pending;
    expect(res.status).toBe(499);
    expect(transportFailure(res)).toBeNull();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(errors).not.toHaveBeenCalled();
    errors.mockRestore();
  });
});

describe("service bindings as upstreams (binding://NAME)", () => {
  it("reaches the bound Worker with the request's path and query, no public hop", async () => {
    const s = snapshotOf(routed({ svc: { loadBalancer: { servers: [{ url: "binding://ECHO" }] } } }));
    const res = await get(s, "https://app.test/hello?x=1", { method: "POST", body: "abc" });
    const echo = (await res.json()) as Echo & { host: string };
    expect(echo).toMatchObject({ name: "echo-worker", method: "POST", url: "/hello?x=1", bodyBytes: 3, host: "app.test" });
    expect(echo.headers["x-forwarded-for"]).toBe("203.0.113.7");
  });

  it("keeps the binding URL's path with preservePath, and names the binding as host with passHostHeader: false", async () => {
    const s = snapshotOf(routed({ svc: { loadBalancer: { passHostHeader: false, servers: [{ url: "binding://ECHO/base", preservePath: true }] } } }));
    const echo = (await (await get(s, "https://app.test/x")).json()) as Echo & { host: string };
    expect([echo.url, echo.host]).toEqual(["/base/x", "echo"]);
  });

  it("shares a pool with HTTP servers", async () => {
    const s = snapshotOf(routed({ svc: { loadBalancer: { servers: [{ url: "binding://ECHO" }, { url: upstreams.s1 }] } } }));
    const names = [];
    for (let i = 0; i < 4; i++) names.push(((await (await get(s, "https://app.test/")).json()) as Echo).name);
    expect(names).toEqual(["echo-worker", "s1", "echo-worker", "s1"]);
  });

  it("answers 502 when the Worker has no such binding", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const s = snapshotOf(routed({ svc: { loadBalancer: { servers: [{ url: "binding://MISSING" }] } } }));
    const res = await get(s, "https://app.test/");
    expect([res.status, transportFailure(res)]).toEqual([502, "connect-error"]);
    expect(errors.mock.calls[0]?.[0]).toMatch(/no service binding named MISSING/);
    errors.mockRestore();
  });
});

describe("WebSocket", () => {
  it("upgrades through the proxy and carries messages both ways", async () => {
    const s = snapshotOf(routed({ svc: { loadBalancer: { strategy: "p2c", servers: [{ url: upstreams.s3 }], sticky: { cookie: { name: "ws" } } } } }));
    const res = await get(s, "https://app.test/socket", { headers: { upgrade: "websocket", connection: "Upgrade" } });
    expect(res.status).toBe(101);
    expect(res.headers.get("x-upstream")).toBe("s3");
    expect(res.headers.getSetCookie()[0]).toMatch(/^ws=/);
    const ws = res.webSocket!;
    ws.accept();
    const received: string[] = [];
    const twoMessages = new Promise<void>((resolve) =>
      ws.addEventListener("message", (e) => {
        received.push(String(e.data));
        if (received.length === 2) resolve();
      }),
    );
    ws.send("ping");
    ws.send("again");
    await twoMessages;
    expect(received).toEqual(["s3: ping", "s3: again"]);
    ws.close(1000, "done");
    expect(s.services.get("svc")!.pool!.servers[0]!.inflight).toBe(0);
  });
});

describe("WebSocket through a service binding", () => {
  it("upgrades to the bound Worker and carries messages both ways", async () => {
    const s = snapshotOf(routed({ svc: { loadBalancer: { servers: [{ url: "binding://ECHO" }] } } }));
    const res = await get(s, "https://app.test/socket", { headers: { upgrade: "websocket", connection: "Upgrade" } });
    expect(res.status).toBe(101);
    const ws = res.webSocket!;
    ws.accept();
    const reply = new Promise<string>((resolve) => ws.addEventListener("message", (e) => resolve(String(e.data))));
    ws.send("hello");
    expect(await reply).toBe("echo-worker: hello");
    ws.close(1000, "done");
  });
});

describe("streaming through a pool that tracks response bodies (p2c)", () => {
  const s = snapshotOf(routed({ svc: { loadBalancer: { strategy: "p2c", servers: [{ url: upstreams.s1 }], serversTransport: "t" } } }, "svc", { serversTransports: { t: { forwardingTimeouts: { responseHeaderTimeout: "5s" } } } }));

  it("streams server-sent events: the first arrives before the last is written", async () => {
    const res = await get(s, "https://t.test/stream?n=4&ms=250");
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    const firstAt = Date.now();
    let rest = "";
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += new TextDecoder().decode(r.value);
    const stamps = [...rest.matchAll(/data: \d+ (\d+)/g)].map((m) => Number(m[1]));
    expect(first).toMatch(/^data: 0 /);
    expect(firstAt).toBeLessThan(stamps.at(-1)!);
  });

  it("streams a large upload", async () => {
    const res = await get(s, "https://t.test/big", { method: "POST", body: slowBody(128, 0, 64 * 1024) });
    expect(((await res.json()) as Echo).bodyBytes).toBe(8 * 1024 * 1024);
  });
});

describe("headers", () => {
  const s = snapshotOf(routed({ svc: { loadBalancer: { servers: [{ url: upstreams.s2 }] } } }));

  it("replaces an untrusted client's X-Forwarded-* and keeps a trusted one's", async () => {
    const sent = { "X-Forwarded-For": "6.6.6.6", "X-Forwarded-Proto": "http", "X-Forwarded-Host": "evil.test", "X-Forwarded-Port": "1", "X-Real-Ip": "6.6.6.6" };
    const untrusted = ((await (await get(s, "https://app.test:8443/", { headers: sent, clientIP: "198.51.100.9" })).json()) as Echo).headers;
    expect(untrusted).toMatchObject({ "x-forwarded-for": "198.51.100.9", "x-forwarded-proto": "https", "x-forwarded-host": "app.test:8443", "x-forwarded-port": "8443", "x-forwarded-server": "switchyard", "x-real-ip": "198.51.100.9" });
    const trusted = ((await (await get(s, "https://app.test:8443/", { headers: sent, clientIP: "10.0.0.5", trusted: "10.0.0.0/8" })).json()) as Echo).headers;
    expect(trusted).toMatchObject({ "x-forwarded-for": "6.6.6.6, 10.0.0.5", "x-forwarded-proto": "http", "x-forwarded-host": "evil.test", "x-forwarded-port": "1", "x-real-ip": "6.6.6.6" });
  });

  it("removes hop-by-hop headers, and those Connection names, from the response too", async () => {
    const res = await get(s, "https://app.test/hop");
    expect(res.headers.get("x-hop-resp")).toBeNull();
    expect(res.headers.get("keep-alive")).toBeNull();
    expect(res.headers.get("connection")).toBeNull();
    expect(res.headers.get("x-upstream")).toBe("s2");
  });
});

describe("never an open proxy", () => {
  const s = snapshotOf(routed({ svc: { loadBalancer: { servers: [{ url: upstreams.s2 }] } } }));

  it("sends every request to a configured server, whatever its URL, Host or headers say", async () => {
    const tricks: [string, Record<string, string>][] = [
      ["https://app.test//evil.example/x", {}],
      ["https://app.test/x", { host: "evil.example", "x-forwarded-host": "evil.example", "x-original-url": "http://evil.example/", "x-rewrite-url": "http://evil.example/" }],
      ["https://app.test/http://evil.example/", { forwarded: "host=evil.example" }],
      ["https://app.test/%2F%2Fevil.example", {}],
    ];
    for (const [url, headers] of tricks) {
      const res = await get(s, url, { headers });
      expect(await who(res)).toBe("s2");
    }
    // The path travels as a path: the upstream receives it literally, on its own connection.
    const targets = (await hits(upstreams.s2, "/")).hits.map((h) => h.url);
    expect(targets).toContain("//evil.example/x");
    expect(targets).toContain("/http://evil.example/");
    expect(targets).toContain("/%2F%2Fevil.example");
  });
});
