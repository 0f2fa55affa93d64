// ipAllowList and the deprecated ipWhiteList, by Traefik's documented cases, against whoami.
import { describe, expect, inject, it } from "vitest";
import { validateConfig } from "../../../../worker/config/index.ts";
import { lb, send, snapshotOf } from "../../helpers/serve.ts";

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

// Traefik's own test files, case by case. The client IP is CF-Connecting-IP (Go: RemoteAddr);
// an address Go's tests feed to the checker directly is fed here as the one X-Forwarded-For entry
// of a trusted client with ipStrategy.depth 1, so it reaches the check exactly as written.
describe("traefik pkg/middlewares/ipallowlist/ip_allowlist_test.go", () => {
  // traefik pkg/middlewares/ipallowlist/ip_allowlist_test.go TestNewIPAllowLister
  it('TestNewIPAllowLister "invalid IP", "valid IP", "invalid HTTP status code"', () => {
    const paths = (options: Record<string, unknown>) => {
      const valid = validateConfig(config(options));
      return valid.ok ? [] : valid.errors.map((e) => e.path);
    };
    expect(paths({ sourceRange: ["foo"] })).toEqual(["http.middlewares.ip.ipAllowList.sourceRange[0]"]);
    expect(paths({ sourceRange: ["10.10.10.10"] })).toEqual([]);
    expect(paths({ sourceRange: ["10.10.10.10"], rejectStatusCode: 600 })).toEqual(["http.middlewares.ip.ipAllowList.rejectStatusCode"]);
  });

  // traefik pkg/middlewares/ipallowlist/ip_allowlist_test.go TestIPAllowLister_ServeHTTP
  const serve: [string, Record<string, unknown>, string, number][] = [
    ["authorized with remote address", { sourceRange: ["20.20.20.20"] }, "20.20.20.20", 200],
    ["non authorized with remote address", { sourceRange: ["20.20.20.20"] }, "20.20.20.21", 403],
    ["authorized with remote address, reject 404", { sourceRange: ["20.20.20.20"], rejectStatusCode: 404 }, "20.20.20.20", 200],
    ["non authorized with remote address, reject 404", { sourceRange: ["20.20.20.20"], rejectStatusCode: 404 }, "20.20.20.21", 404],
  ];
  for (const [desc, options, ip, expected] of serve) {
    it(`TestIPAllowLister_ServeHTTP "${desc}"`, async () => {
      expect(await statusFor(snapshotOf(config(options)), ip)).toBe(expected);
    });
  }
});

describe("traefik pkg/middlewares/ipwhitelist/ip_whitelist_test.go", () => {
  // traefik pkg/middlewares/ipwhitelist/ip_whitelist_test.go TestNewIPWhiteLister
  it('TestNewIPWhiteLister "invalid IP", "valid IP"', () => {
    const invalid = validateConfig(config({ sourceRange: ["foo"] }, "ipWhiteList"));
    expect(invalid.ok ? [] : invalid.errors.map((e) => e.path)).toEqual(["http.middlewares.ip.ipWhiteList.sourceRange[0]"]);
    expect(validateConfig(config({ sourceRange: ["10.10.10.10"] }, "ipWhiteList")).ok).toBe(true);
  });

  // traefik pkg/middlewares/ipwhitelist/ip_whitelist_test.go TestIPWhiteLister_ServeHTTP
  for (const [desc, ip, expected] of [
    ["authorized with remote address", "20.20.20.20", 200],
    ["non authorized with remote address", "20.20.20.21", 403],
  ] as const) {
    it(`TestIPWhiteLister_ServeHTTP "${desc}"`, async () => {
      expect(await statusFor(snapshotOf(config({ sourceRange: ["20.20.20.20"] }, "ipWhiteList")), ip)).toBe(expected);
    });
  }
});

describe("traefik pkg/ip/checker_test.go and strategy_test.go, through ipAllowList", () => {
  const statusOfHop = (snap: Snapshot, hop: string) => statusFor(snap, "203.0.113.9", hop);
  const byHop = (sourceRange: string[]) => snapshotOf(config({ sourceRange, ipStrategy: { depth: 1 } }));

  // traefik pkg/ip/checker_test.go TestIsAuthorized
  it('TestIsAuthorized "remoteAddr not in range", "remoteAddr in range", "octal ip in remoteAddr"', async () => {
    expect(await statusFor(snapshotOf(config({ sourceRange: ["1.2.3.4/24"] })), "10.2.3.1")).toBe(403);
    expect(await statusFor(snapshotOf(config({ sourceRange: ["1.2.3.4/24"] })), "1.2.3.1")).toBe(200);
    expect(await statusOfHop(byHop(["127.2.3.4/24"]), "0127.2.3.1:123")).toBe(403);
    expect(await statusOfHop(byHop(["1.2.3.4/24"]), "1.2.3.1:123")).toBe(200); // host:port is split, as IsAuthorized does
  });

  // traefik pkg/ip/checker_test.go TestNew: what NewChecker refuses, validation refuses
  it('TestNew "trusted IPs containing empty string", "containing only an empty string", "an invalid string"; valid ones pass', () => {
    const errs = (sourceRange: string[]) => {
      const valid = validateConfig(config({ sourceRange }));
      return valid.ok ? [] : valid.errors.map((e) => e.path);
    };
    expect(errs(["1.2.3.4/24", "", "fe80::/16"])).toEqual(["http.middlewares.ip.ipAllowList.sourceRange[1]"]);
    expect(errs([""])).toEqual(["http.middlewares.ip.ipAllowList.sourceRange[0]"]);
    expect(errs(["foo"])).toEqual(["http.middlewares.ip.ipAllowList.sourceRange[0]"]);
    expect(errs(["1.2.3.4/24", "fe80::/16"])).toEqual([]);
    expect(errs(["127.0.0.1/8"])).toEqual([]);
  });

  // traefik pkg/ip/checker_test.go TestContainsIsAllowed
  const contains: { desc: string; ranges: string[]; pass: string[]; reject: string[] }[] = [
    { desc: "IPv4", ranges: ["1.2.3.4/24"], pass: ["1.2.3.1", "1.2.3.32", "1.2.3.156", "1.2.3.255"], reject: ["1.2.16.1", "1.2.32.1", "127.0.0.1", "8.8.8.8"] },
    { desc: "IPv4 single IP", ranges: ["8.8.8.8"], pass: ["8.8.8.8"], reject: ["8.8.8.7", "8.8.8.9", "8.8.8.0", "8.8.8.255", "4.4.4.4", "127.0.0.1"] },
    { desc: "IPv4 Net single IP", ranges: ["8.8.8.8/32"], pass: ["8.8.8.8"], reject: ["8.8.8.7", "8.8.8.9", "8.8.8.0", "8.8.8.255", "4.4.4.4", "127.0.0.1"] },
    {
      desc: "multiple IPv4",
      ranges: ["1.2.3.4/24", "8.8.8.8/8"],
      pass: ["1.2.3.1", "1.2.3.32", "1.2.3.156", "1.2.3.255", "8.8.4.4", "8.0.0.1", "8.32.42.128", "8.255.255.255"],
      reject: ["1.2.16.1", "1.2.32.1", "127.0.0.1", "4.4.4.4", "4.8.8.8"],
    },
    {
      desc: "IPv6",
      ranges: ["2a03:4000:6:d080::/64"],
      pass: ["2a03:4000:6:d080::", "2a03:4000:6:d080::1", "2a03:4000:6:d080:dead:beef:ffff:ffff", "2a03:4000:6:d080::42"],
      reject: ["2a03:4000:7:d080::", "2a03:4000:7:d080::1", "fe80::", "4242::1"],
    },
    { desc: "IPv6 single IP", ranges: ["2a03:4000:6:d080::42/128"], pass: ["2a03:4000:6:d080::42"], reject: ["2a03:4000:6:d080::1", "2a03:4000:6:d080:dead:beef:ffff:ffff", "2a03:4000:6:d080::43"] },
    {
      desc: "multiple IPv6",
      ranges: ["2a03:4000:6:d080::/64", "fe80::/16"],
      pass: ["2a03:4000:6:d080::", "2a03:4000:6:d080::1", "2a03:4000:6:d080:dead:beef:ffff:ffff", "2a03:4000:6:d080::42", "fe80::1", "fe80:aa00:00bb:4232:ff00:eeee:00ff:1111", "fe80::fe80"],
      reject: ["2a03:4000:7:d080::", "2a03:4000:7:d080::1", "4242::1"],
    },
    {
      desc: "multiple IPv6 & IPv4",
      ranges: ["2a03:4000:6:d080::/64", "fe80::/16", "1.2.3.4/24", "8.8.8.8/8"],
      pass: [
        "2a03:4000:6:d080::", "2a03:4000:6:d080::1", "2a03:4000:6:d080:dead:beef:ffff:ffff", "2a03:4000:6:d080::42", "fe80::1",
        "fe80:aa00:00bb:4232:ff00:eeee:00ff:1111", "fe80:aa00:00bb:4232:ff00:eeee:00ff:1111%vEthernet", "fe80::fe80",
        "1.2.3.1", "1.2.3.32", "1.2.3.156", "1.2.3.255", "8.8.4.4", "8.0.0.1", "8.32.42.128", "8.255.255.255",
      ],
      reject: ["2a03:4000:7:d080::", "2a03:4000:7:d080::1", "2a03:4000:7:d080::1%vmnet1", "4242::1", "1.2.16.1", "1.2.32.1", "127.0.0.1", "4.4.4.4", "4.8.8.8"],
    },
  ];
  for (const c of contains) {
    it(`TestContainsIsAllowed "${c.desc}"`, async () => {
      const snap = byHop(c.ranges);
      for (const ip of c.pass) expect(await statusOfHop(snap, ip), ip).toBe(200);
      for (const ip of c.reject) expect(await statusOfHop(snap, ip), ip).toBe(403);
    });
  }

  // traefik pkg/ip/checker_test.go TestContainsBrokenIPs: an address the checker cannot parse is refused
  it("TestContainsBrokenIPs", async () => {
    const snap = byHop(["1.2.3.4/24", "0.0.0.0/0", "::/0"]);
    for (const ip of ["foo", "10.0.0.350", "fe:::80", "", "\\&$§&/("]) expect(await statusOfHop(snap, ip), ip).toBe(403);
  });

  // traefik pkg/ip/strategy_test.go TestRemoteAddrStrategy_GetIP. CF-Connecting-IP is a bare address:
  // the bracketed, zoned and port forms of Go's RemoteAddr do not occur, so only the address cases are ported.
  it('TestRemoteAddrStrategy_GetIP "Use RemoteAddr, ipv4", "ipv4, ignore subnet", "ipv6 brackets with port, subnet"', async () => {
    expect(await statusFor(snapshotOf(config({ sourceRange: ["192.0.2.1"] })), "192.0.2.1")).toBe(200);
    expect(await statusFor(snapshotOf(config({ sourceRange: ["192.0.2.1"], ipStrategy: { ipv6Subnet: 24 } })), "192.0.2.1")).toBe(200);
    const subnet = snapshotOf(config({ sourceRange: ["::abcd:0:0:0"], ipStrategy: { ipv6Subnet: 80 } }));
    expect(await statusFor(subnet, "::abcd:ffff:c0a8:1")).toBe(200);
    expect(await statusFor(snapshotOf(config({ sourceRange: ["::abcd:ffff:c0a8:1"] })), "::abcd:ffff:c0a8:1")).toBe(200);
  });

  it('TestRemoteAddrStrategy_GetIP "invalid subnet" (500) is refused at validation, as Traefik\'s constructor does', () => {
    const valid = validateConfig(config({ sourceRange: ["::1"], ipStrategy: { ipv6Subnet: 500 } }));
    expect(valid.ok ? [] : valid.errors.map((e) => e.path)).toEqual(["http.middlewares.ip.ipAllowList.ipStrategy.ipv6Subnet"]);
  });

  // traefik pkg/ip/strategy_test.go TestDepthStrategy_GetIP
  const depth: [string, number, string, string | null, number?][] = [
    ["Use depth", 3, "10.0.0.4,10.0.0.3,10.0.0.2,10.0.0.1", "10.0.0.3"],
    ["Use nonexistent depth in XForwardedFor", 2, "", null],
    ["Use depth that match the first IP in XForwardedFor", 2, "10.0.0.2,10.0.0.1", "10.0.0.2"],
    ["Use depth with IPv4 subnet", 2, "10.0.0.3,10.0.0.2,10.0.0.1", "10.0.0.2", 80],
    ["Use depth with IPv6 subnet", 2, "10.0.0.3,::abcd:ffff:c0a8:1,10.0.0.1", "::abcd:0:0:0", 80],
  ];
  for (const [desc, d, xff, expected, ipv6Subnet] of depth) {
    it(`TestDepthStrategy_GetIP "${desc}"`, async () => {
      const strategy = { depth: d, ...(ipv6Subnet ? { ipv6Subnet } : {}) };
      if (expected === null) {
        expect(await statusFor(snapshotOf(config({ sourceRange: ["0.0.0.0/0", "::/0"], ipStrategy: strategy })), "10.0.0.1", xff)).toBe(403);
        return;
      }
      expect(await statusFor(snapshotOf(config({ sourceRange: [expected], ipStrategy: strategy })), "203.0.113.9", xff)).toBe(200);
      expect(await statusFor(snapshotOf(config({ sourceRange: ["203.0.113.9", "10.0.0.1"], ipStrategy: strategy })), "203.0.113.9", xff)).toBe(expected === "10.0.0.1" ? 200 : 403);
    });
  }

  // traefik pkg/ip/strategy_test.go TestTrustedIPsStrategy_GetIP (ipStrategy.excludedIPs)
  const pool: [string, string[], string, string | null][] = [
    ["Trust all IPs", ["10.0.0.4", "10.0.0.3", "10.0.0.2", "10.0.0.1"], "10.0.0.4,10.0.0.3,10.0.0.2,10.0.0.1", null],
    ["Do not trust all IPs", ["10.0.0.2", "10.0.0.1"], "10.0.0.4,10.0.0.3,10.0.0.2,10.0.0.1", "10.0.0.3"],
    ["Do not trust all IPs with CIDR", ["10.0.0.1/24"], "127.0.0.1,10.0.0.4,10.0.0.3,10.0.0.2,10.0.0.1", "127.0.0.1"],
    ["Trust all IPs with CIDR", ["10.0.0.1/24"], "10.0.0.4,10.0.0.3,10.0.0.2,10.0.0.1", null],
  ];
  for (const [desc, excludedIPs, xff, expected] of pool) {
    it(`TestTrustedIPsStrategy_GetIP "${desc}"`, async () => {
      const sourceRange = expected === null ? ["0.0.0.0/0", "::/0"] : [expected];
      expect(await statusFor(snapshotOf(config({ sourceRange, ipStrategy: { excludedIPs } })), "203.0.113.9", xff)).toBe(expected === null ? 403 : 200);
    });
  }
});
