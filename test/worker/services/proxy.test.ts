import { describe, expect, inject, it } from "vitest";
import { lb, send, snapshotOf, type Echo } from "../helpers/serve.ts";

const upstream = inject("whoamiUrl");

function config(extra: Record<string, unknown> = {}) {
  return {
    http: {
      routers: {
        app: { rule: "Host(`app.test`)", service: "app" },
        api: { rule: "Host(`app.test`) && PathPrefix(`/api`)", service: "api" },
      },
      services: { app: lb(upstream), api: lb(`${upstream}/base`) },
      ...extra,
    },
  };
}

describe("proxy", () => {
  const snap = snapshotOf(config());

  it("routes by rule and forwards method, path and query", async () => {
    const res = await send(snap, "https://app.test/hello/world?x=1&y=2", { method: "PUT", body: "abc" });
    expect(res.status).toBe(200);
    const echo = (await res.json()) as Echo;
    expect(echo.method).toBe("PUT");
    expect(echo.url).toBe("/hello/world?x=1&y=2");
    expect(echo.bodyBytes).toBe(3);
  });

  it("answers 404 when no router matches", async () => {
    const res = await send(snap, "https://other.test/");
    expect(res.status).toBe(404);
    expect(await res.text()).toBe("404 page not found\n");
  });

  it("picks the higher-priority router (longer rule) and drops the server URL path as Traefik", async () => {
    const echo = (await (await send(snap, "https://app.test/api/x")).json()) as Echo;
    expect(echo.url).toBe("/api/x");
  });

  it("keeps the server URL path with preservePath", async () => {
    const s = snapshotOf({
      http: {
        routers: { r: { rule: "PathPrefix(`/`)", service: "s" } },
        services: { s: { loadBalancer: { servers: [{ url: `${upstream}/base/`, preservePath: true }] } } },
      },
    });
    const echo = (await (await send(s, "https://x.test/api/x?q=1")).json()) as Echo;
    expect(echo.url).toBe("/base/api/x?q=1");
  });

  it("sets X-Forwarded-* and X-Real-Ip, replacing what an untrusted client sent", async () => {
    const res = await send(snap, "https://app.test:8443/h", {
      clientIP: "203.0.113.7",
      headers: { "X-Forwarded-For": "6.6.6.6", "X-Forwarded-Host": "evil.test", "X-Real-Ip": "6.6.6.6" },
    });
    const h = ((await res.json()) as Echo).headers;
    expect(h["x-forwarded-for"]).toBe("203.0.113.7");
    expect(h["x-real-ip"]).toBe("203.0.113.7");
    expect(h["x-forwarded-host"]).toBe("app.test:8443");
    expect(h["x-forwarded-proto"]).toBe("https");
    expect(h["x-forwarded-port"]).toBe("8443");
    expect(h["x-forwarded-server"]).toBe("switchyard");
  });

  it("appends to X-Forwarded-For and keeps X-Forwarded-* from a trusted client", async () => {
    const res = await send(snap, "http://app.test/h", {
      clientIP: "10.1.2.3",
      trusted: "10.0.0.0/8",
      headers: { "X-Forwarded-For": "198.51.100.1", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "orig.test" },
    });
    const h = ((await res.json()) as Echo).headers;
    expect(h["x-forwarded-for"]).toBe("198.51.100.1, 10.1.2.3");
    expect(h["x-forwarded-proto"]).toBe("https");
    expect(h["x-forwarded-host"]).toBe("orig.test");
    expect(h["x-forwarded-port"]).toBe("80");
  });

  it("does not repeat the client in X-Forwarded-For when Cloudflare already appended it", async () => {
    const res = await send(snap, "https://app.test/h", {
      clientIP: "10.1.2.3",
      trusted: "10.0.0.0/8",
      headers: { "X-Forwarded-For": "198.51.100.1, 10.1.2.3" },
    });
    expect(((await res.json()) as Echo).headers["x-forwarded-for"]).toBe("198.51.100.1, 10.1.2.3");
  });

  it("removes hop-by-hop headers and those named in Connection", async () => {
    const res = await send(snap, "https://app.test/h", {
      headers: { Connection: "X-Secret-Hop", "X-Secret-Hop": "1", "Keep-Alive": "timeout=5", "X-Kept": "yes", TE: "trailers" },
    });
    const h = ((await res.json()) as Echo).headers;
    expect(h["x-secret-hop"]).toBeUndefined();
    expect(h["keep-alive"]).toBeUndefined();
    expect(h["te"]).toBeUndefined();
    expect(h["x-kept"]).toBe("yes");
  });

  it("keeps every Set-Cookie header separate", async () => {
    const res = await send(snap, "https://app.test/cookies");
    expect(res.headers.getSetCookie()).toEqual(["a=1; Path=/", "b=2; Path=/"]);
  });

  it("passes redirects and errors back instead of following them", async () => {
    expect((await send(snap, "https://app.test/status/302")).status).toBe(302);
    expect((await send(snap, "https://app.test/status/500")).status).toBe(500);
  });

  it("answers 502 when the upstream refuses the connection", async () => {
    const s = snapshotOf({ http: { routers: { r: { rule: "PathPrefix(`/`)", service: "s" } }, services: { s: lb("http://127.0.0.1:1") } } });
    const res = await send(s, "https://x.test/");
    expect(res.status).toBe(502);
  });

  it("answers 503 when a service has no server", async () => {
    const s = snapshotOf({ http: { routers: { r: { rule: "PathPrefix(`/`)", service: "s" } }, services: { s: { loadBalancer: { servers: [] } } } } });
    const res = await send(s, "https://x.test/");
    expect(res.status).toBe(503);
    expect(await res.text()).toBe("no available server");
  });

  it("answers 504 when response headers take longer than responseHeaderTimeout", async () => {
    const s = snapshotOf({
      http: {
        routers: { r: { rule: "PathPrefix(`/`)", service: "s" } },
        services: { s: { loadBalancer: { servers: [{ url: upstream }], serversTransport: "t" } } },
        serversTransports: { t: { forwardingTimeouts: { responseHeaderTimeout: "200ms" } } },
      },
    });
    const slow = await send(s, "https://x.test/slow?ms=2000");
    expect(slow.status).toBe(504);
    const fast = await send(s, "https://x.test/fast");
    expect(fast.status).toBe(200);
  });

  it("streams a large upload without buffering it whole", async () => {
    const chunk = new Uint8Array(64 * 1024).fill(120);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 8 * 1024 * 1024) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const res = await send(snap, "https://app.test/upload", { method: "POST", body });
    expect(((await res.json()) as Echo).bodyBytes).toBe(8 * 1024 * 1024);
  });

  it("streams the response: the first event arrives before the upstream writes the last", async () => {
    const res = await send(snap, "https://app.test/stream?n=4&ms=300");
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const reader = res.body!.getReader();
    const first = await reader.read();
    const receivedAt = Date.now();
    let rest = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      rest += new TextDecoder().decode(value);
    }
    const stamps = [...rest.matchAll(/data: (\d+) (\d+)/g)].map((m) => Number(m[2]));
    expect(new TextDecoder().decode(first.value)).toMatch(/^data: 0 /);
    expect(receivedAt).toBeLessThan(stamps[stamps.length - 1]!);
  });
});

describe("load balancing", () => {
  it("spreads requests by weight, smoothly", async () => {
    // Two "servers" that are the same upstream, told apart by their preserved path.
    const s = snapshotOf({
      http: {
        routers: { r: { rule: "PathPrefix(`/`)", service: "s" } },
        services: {
          s: {
            loadBalancer: {
              servers: [
                { url: `${upstream}/a`, weight: 3, preservePath: true },
                { url: `${upstream}/b`, weight: 1, preservePath: true },
              ],
            },
          },
        },
      },
    });
    const seen: string[] = [];
    for (let i = 0; i < 8; i++) seen.push(((await (await send(s, "https://x.test/")).json()) as Echo).url);
    expect(seen.filter((u) => u === "/a/").length).toBe(6);
    expect(seen.filter((u) => u === "/b/").length).toBe(2);
    expect(seen.slice(0, 4)).toEqual(["/a/", "/a/", "/b/", "/a/"]);
  });
});

describe("snapshots across a config change", () => {
  it("keep unchanged services' pools and rebuild changed ones", () => {
    const a = snapshotOf(config());
    const changed = config();
    changed.http.services.api = lb(`${upstream}/other`);
    const b = snapshotOf(changed, a, 2);
    expect(b.services.get("app")!.pool).toBe(a.services.get("app")!.pool);
    expect(b.services.get("api")!.pool).not.toBe(a.services.get("api")!.pool);
  });

  it("a request started on one snapshot finishes on it after a swap", async () => {
    const a = snapshotOf({ http: { routers: { r: { rule: "PathPrefix(`/`)", service: "s" } }, services: { s: lb(`${upstream}`) } } });
    const inflight = send(a, "https://x.test/slow?ms=300");
    const b = snapshotOf({ http: { routers: {}, services: {} } }, a, 2);
    expect((await send(b, "https://x.test/slow")).status).toBe(404);
    expect((await inflight).status).toBe(200);
  });
});

describe("transport failures are marked for middlewares", () => {
  it("a made-up 502 is a connect error; an upstream's own 502 is not", async () => {
    const { transportFailure } = await import("../../../worker/services/proxy.ts");
    const down = snapshotOf({ http: { routers: { r: { rule: "PathPrefix(`/`)", service: "s" } }, services: { s: lb("http://127.0.0.1:1") } } });
    expect(transportFailure(await send(down, "https://x.test/"))).toBe("connect-error");
    const up = snapshotOf({ http: { routers: { r: { rule: "PathPrefix(`/`)", service: "s" } }, services: { s: lb(upstream) } } });
    const real502 = await send(up, "https://x.test/status/502");
    expect(real502.status).toBe(502);
    expect(transportFailure(real502)).toBeNull();
  });
});
