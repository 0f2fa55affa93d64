// ipAllowList and the deprecated ipWhiteList, by Traefik's documented cases, against whoami.
import { describe, expect, inject, it } from "vitest";
import { validateConfig } from "../../worker/config/index.ts";
import { lb, send, snapshotOf } from "./helpers/serve.ts";

const upstream = inject("whoamiUrl");

function config(options: Record<string, unknown>, type = "ipAllowList") {
  return {
    http: {
      routers: { r: { rule: "PathPrefix(`/`)", service: "s", middlewares: ["ip"] } },
      services: { s: lb(upstream) },
      middlewares: { ip: { [type]: options } },
    },
  };
}

type Snapshot = ReturnType<typeof snapshotOf>;

async function statusFor(snap: Snapshot, clientIP: string | null, xff?: string): Promise<number> {
  // X-Forwarded-For from a trusted client is kept at the entry (as Traefik's forwardedHeaders.trustedIPs).
  const init = xff === undefined ? { clientIP } : { clientIP, headers: { "x-forwarded-for": xff }, trusted: "0.0.0.0/0,::/0" };
  const res = await send(snap, "https://x.test/", init);
  await res.arrayBuffer();
  return res.status;
}

describe("ipAllowList", () => {
  it("lets through the client IP (CF-Connecting-IP) in sourceRange: IPs and CIDRs, IPv4 and IPv6", async () => {
    const snap = snapshotOf(config({ sourceRange: ["127.0.0.1/32", "192.168.1.7", "10.0.0.0/8", "2001:db8::/32"] }));
    for (const ip of ["127.0.0.1", "192.168.1.7", "10.200.3.4", "2001:db8:1::5"]) expect(await statusFor(snap, ip), ip).toBe(200);
    for (const ip of ["127.0.0.2", "192.168.1.8", "11.0.0.1", "2001:db9::1"]) expect(await statusFor(snap, ip), ip).toBe(403);
  });

  it("rejects with 403 and the status text as body by default, or rejectStatusCode", async () => {
    const res = await send(snapshotOf(config({ sourceRange: ["10.0.0.0/8"] })), "https://x.test/", { clientIP: "1.2.3.4" });
    expect([res.status, await res.text()]).toEqual([403, "Forbidden"]);
    const teapot = await send(snapshotOf(config({ sourceRange: ["10.0.0.0/8"], rejectStatusCode: 404 })), "https://x.test/", { clientIP: "1.2.3.4" });
    expect([teapot.status, await teapot.text()]).toEqual([404, "Not Found"]);
  });

  it("matches IPv4-mapped IPv6 clients against IPv4 ranges and back (16-byte compare, as Go)", async () => {
    expect(await statusFor(snapshotOf(config({ sourceRange: ["10.0.0.0/8"] })), "::ffff:10.1.2.3")).toBe(200);
    expect(await statusFor(snapshotOf(config({ sourceRange: ["::ffff:10.0.0.0/104"] })), "10.1.2.3")).toBe(200);
  });

  it("reads ::1.2.3.4 as Go does, an IPv6 address outside 1.2.3.0/24 (not a mapped IPv4 one)", async () => {
    const snap = snapshotOf(config({ sourceRange: ["1.2.3.0/24"] }));
    expect(await statusFor(snap, "::1.2.3.4")).toBe(403);
    expect(await statusFor(snap, "::ffff:1.2.3.4")).toBe(200);
    expect(await statusFor(snapshotOf(config({ sourceRange: ["::1.2.3.0/120"] })), "::1.2.3.4")).toBe(200);
  });

  it("refuses a request with no client IP", async () => {
    expect(await statusFor(snapshotOf(config({ sourceRange: ["0.0.0.0/0"] })), null)).toBe(403);
  });

  it("ipStrategy.depth takes the depth-th X-Forwarded-For entry from the right", async () => {
    const snap = snapshotOf(config({ sourceRange: ["10.0.0.1"], ipStrategy: { depth: 2 } }));
    expect(await statusFor(snap, "203.0.113.9", "10.0.0.1, 192.0.2.1")).toBe(200);
    expect(await statusFor(snap, "203.0.113.9", "192.0.2.1, 10.0.0.1")).toBe(403);
    // Fewer entries than the depth: no IP, refused (Traefik's documented example).
    expect(await statusFor(snap, "10.0.0.1", "10.0.0.1")).toBe(403);
  });

  it("ipStrategy.excludedIPs takes the right-most entry that is not excluded; depth wins over it", async () => {
    const snap = snapshotOf(config({ sourceRange: ["10.0.0.1"], ipStrategy: { excludedIPs: ["192.0.2.0/24", "198.51.100.7"] } }));
    expect(await statusFor(snap, "203.0.113.9", "10.0.0.1, 192.0.2.5, 198.51.100.7")).toBe(200);
    expect(await statusFor(snap, "203.0.113.9", "10.0.0.1, 198.51.100.8, 192.0.2.5")).toBe(403);
    expect(await statusFor(snap, "10.0.0.1", "192.0.2.5")).toBe(403);
    const both = snapshotOf(config({ sourceRange: ["198.51.100.7"], ipStrategy: { depth: 1, excludedIPs: ["198.51.100.7"] } }));
    expect(await statusFor(both, "203.0.113.9", "10.0.0.1, 198.51.100.7")).toBe(200);
  });

  it("an untrusted client's X-Forwarded-For is dropped at the entry: it cannot claim an allowed IP", async () => {
    const snap = snapshotOf(config({ sourceRange: ["10.0.0.1"], ipStrategy: { depth: 1 } }));
    const res = await send(snap, "https://x.test/", { clientIP: "203.0.113.9", headers: { "x-forwarded-for": "10.0.0.1" } });
    expect(res.status).toBe(403);
  });

  it("ipStrategy.ipv6Subnet folds IPv6 clients to their network before the check", async () => {
    const snap = snapshotOf(config({ sourceRange: ["2001:db8:aa::"], ipStrategy: { ipv6Subnet: 48 } }));
    expect(await statusFor(snap, "2001:db8:aa::1234")).toBe(200);
    expect(await statusFor(snap, "2001:db8:ab::1")).toBe(403);
  });

  it("ipWhiteList (deprecated) behaves the same, always with 403, and warns", async () => {
    const cfg = config({ sourceRange: ["10.0.0.0/8"] }, "ipWhiteList");
    const snap = snapshotOf(cfg);
    expect(await statusFor(snap, "10.9.9.9")).toBe(200);
    expect(await statusFor(snap, "9.9.9.9")).toBe(403);
    const valid = validateConfig(cfg);
    expect(valid.ok && valid.warnings.map((w) => w.path)).toEqual(["http.middlewares.ip.ipWhiteList"]);
  });
});

describe("ipAllowList validation", () => {
  function errors(options: Record<string, unknown>) {
    const valid = validateConfig(config(options));
    return valid.ok ? [] : valid.errors;
  }

  it("refuses bad CIDRs and addresses Go would not parse, naming the entry", () => {
    const found = errors({ sourceRange: ["10.0.0.0/33", "010.0.0.1", "1.2.3", "fe80::/129", "10.0.0.0/8"] });
    expect(found.map((e) => e.path)).toEqual([0, 1, 2, 3].map((i) => `http.middlewares.ip.ipAllowList.sourceRange[${i}]`));
  });

  it("refuses an empty sourceRange, a status Go has no text for, a zero ipv6Subnet, bad excludedIPs", () => {
    expect(errors({ sourceRange: [] }).map((e) => e.path)).toEqual(["http.middlewares.ip.ipAllowList.sourceRange"]);
    expect(errors({ sourceRange: ["10.0.0.0/8"], rejectStatusCode: 499 }).map((e) => e.path)).toEqual(["http.middlewares.ip.ipAllowList.rejectStatusCode"]);
    expect(errors({ sourceRange: ["10.0.0.0/8"], ipStrategy: { ipv6Subnet: 0 } }).map((e) => e.path)).toEqual(["http.middlewares.ip.ipAllowList.ipStrategy.ipv6Subnet"]);
    expect(errors({ sourceRange: ["10.0.0.0/8"], ipStrategy: { excludedIPs: ["nope"] } })[0]?.path).toBe("http.middlewares.ip.ipAllowList.ipStrategy.excludedIPs[0]");
  });

  it("warns that excludedIPs is ignored next to depth", () => {
    const valid = validateConfig(config({ sourceRange: ["10.0.0.0/8"], ipStrategy: { depth: 1, excludedIPs: ["10.0.0.1"] } }));
    expect(valid.ok && valid.warnings.map((w) => w.path)).toEqual(["http.middlewares.ip.ipAllowList.ipStrategy.excludedIPs"]);
  });
});
