// The dashboard's pure helpers: the admin base from the page's path, hash routes, the field-level
// diff rows (with and without `fields`), chart series, header lines, error paths to lines, formats.
import { describe, expect, it } from "vitest";
import { basePath } from "../../../dashboard/src/base.ts";
import { diffRows, showValue } from "../../../dashboard/src/fielddiff.ts";
import { fromText, toText } from "../../../dashboard/src/formats.ts";
import { parseHeaders } from "../../../dashboard/src/headers.ts";
import { lineOfPath, lineRange } from "../../../dashboard/src/pathline.ts";
import { hashOf, parseHash } from "../../../dashboard/src/router.ts";
import { entriesOf, seriesOf } from "../../../dashboard/src/series.ts";

describe("basePath", () => {
  it("is the path before the last /dashboard segment", () => {
    expect(basePath("/__switchyard/dashboard/")).toBe("/__switchyard");
    expect(basePath("/__switchyard/dashboard/index.html")).toBe("/__switchyard");
    expect(basePath("/__switchyard/dashboard")).toBe("/__switchyard");
    expect(basePath("/ops/admin/dashboard/")).toBe("/ops/admin");
    expect(basePath("/dashboard/x/dashboard/")).toBe("/dashboard/x");
    expect(basePath("/dashboard/")).toBe("");
  });
});

describe("hash routes", () => {
  it("parses every page and item, and falls back to the overview", () => {
    for (const view of ["overview", "traffic", "fleet", "config", "editor", "explain"] as const) expect(parseHash(`#/${view}`)).toEqual({ view });
    expect(parseHash("#/routers/api%40file")).toEqual({ view: "item", kind: "routers", name: "api@file" });
    expect(parseHash("#/services/a%2Fb")).toEqual({ view: "item", kind: "services", name: "a/b" });
    expect(parseHash("")).toEqual({ view: "overview" });
    expect(parseHash("#/nope")).toEqual({ view: "overview" });
    expect(parseHash("#/routers/")).toEqual({ view: "overview" });
    expect(parseHash("#/routers/%E0%A4%A")).toEqual({ view: "overview" });
  });

  it("round-trips through hashOf", () => {
    const route = { view: "item", kind: "middlewares", name: "auth @ x/y" } as const;
    expect(parseHash(hashOf(route))).toEqual(route);
    expect(hashOf({ view: "fleet" })).toBe("#/fleet");
  });
});

describe("diffRows", () => {
  it("lists entries per section with their field changes", () => {
    const rows = diffRows({
      from: 1,
      to: 2,
      routers: {
        added: ["new"],
        removed: [],
        changed: ["api"],
        fields: { api: [{ path: "http.routers.api.rule", op: "changed", from: "Path(`/a`)", to: "Path(`/b`)" }] },
        truncated: ["api"],
      },
      services: { added: [], removed: ["old"], changed: [] },
      middlewares: { added: [], removed: [], changed: [] },
      serversTransports: { added: [], removed: [], changed: [] },
    });
    expect(rows).toEqual([
      {
        section: "routers",
        entries: [
          { name: "api", op: "changed", fields: [{ path: "http.routers.api.rule", op: "changed", from: "Path(`/a`)", to: "Path(`/b`)" }], truncated: true },
          { name: "new", op: "added", fields: null, truncated: false },
        ],
      },
      { section: "services", entries: [{ name: "old", op: "removed", fields: null, truncated: false }] },
    ]);
  });

  it("keeps sections it does not know (tcp, …) and skips non-sections", () => {
    const rows = diffRows({ from: 1, to: 2, tcpRouters: { added: ["t"], removed: [], changed: [] }, note: "x" });
    expect(rows).toEqual([{ section: "tcpRouters", entries: [{ name: "t", op: "added", fields: null, truncated: false }] }]);
  });

  it("shows values as JSON, cut short", () => {
    expect(showValue("a")).toBe('"a"');
    expect(showValue(undefined)).toBe("");
    expect(showValue("x".repeat(300), 10)).toHaveLength(10);
  });
});

describe("series", () => {
  const history = {
    start: 1000,
    step: 60,
    points: 3,
    routers: {
      quiet: { requests: [0, 0, 6], errors: [0, 0, 0], p50: [null, null, 0.01], p99: [null, null, 0.05] },
      busy: { requests: [120, 60, 0], errors: [6, 0, 0], p50: [0.002, 0.004, null], p99: [0.1, 0.2, null] },
    },
  };

  it("gives requests/s, the error ratio and latency in ms per interval", () => {
    expect(seriesOf(history, history.routers.busy)).toEqual({
      t: [1000, 1060, 1120],
      rps: [2, 1, 0],
      errorRatio: [0.05, 0, null],
      p50ms: [2, 4, null],
      p99ms: [100, 200, null],
      totalRequests: 180,
      totalErrors: 6,
    });
  });

  it("orders entries busiest first", () => {
    expect(entriesOf(history, "routers").map(([n]) => n)).toEqual(["busy", "quiet"]);
    expect(entriesOf(history, "services")).toEqual([]);
  });
});

describe("parseHeaders", () => {
  it("reads Name: value lines, joins repeats and reports bad lines", () => {
    expect(parseHeaders("Host: a.com\n\nX-A: 1\nx-b:2\nX-A: 3")).toEqual({ headers: { Host: "a.com", "X-A": "1, 3", "x-b": "2" }, errors: [] });
    expect(parseHeaders("no colon\n: empty name").errors).toEqual(['line 1: expected "Name: value"', 'line 2: expected "Name: value"']);
  });
});

describe("lineOfPath", () => {
  const json = toText({ http: { routers: { api: { rule: "Path(`/`)", service: "s" } }, services: { s: { loadBalancer: {} } } } }, "json");
  it("finds the line of a path in JSON, YAML and TOML", () => {
    const lines = json.split("\n");
    expect(lines[lineOfPath(json, "http.routers.api.service")!]).toContain('"service"');
    const yaml = "http:\n  routers:\n    api:\n      rule: x\n      service: s\n  services:\n    s: {}\n";
    expect(lineOfPath(yaml, "http.routers.api.service")).toBe(4);
    expect(lineOfPath(yaml, "http.services.s")).toBe(6);
    const toml = '[http.routers.api]\nrule = "x"\nservice = "s"\n';
    expect(lineOfPath(toml, "http.routers.api.service")).toBe(2);
  });

  it("stops at the deepest segment found, null when none is", () => {
    const yaml = "http:\n  routers:\n    api:\n      rule: x\n";
    expect(lineOfPath(yaml, "http.routers.api.middlewares")).toBe(2);
    expect(lineOfPath(yaml, "tcp.routers")).toBeNull();
    expect(lineOfPath(yaml, "")).toBeNull();
  });

  it("gives a line's offsets", () => {
    expect(lineRange("ab\ncd\nef", 1)).toEqual([3, 5]);
    expect(lineRange("ab", 5)).toEqual([2, 2]);
  });
});

describe("formats", () => {
  it("converts between JSON, YAML and TOML without loss", () => {
    const value = { http: { routers: { api: { rule: "Host(`a`) && Path(`/x`)", service: "s", priority: 5 } }, services: { s: { loadBalancer: { servers: [{ url: "http://a" }] } } } } };
    for (const format of ["json", "yaml", "toml"] as const) {
      const parsed = fromText(toText(value, format), format);
      expect(parsed, format).toEqual({ ok: true, value });
    }
    expect(fromText("{", "json").ok).toBe(false);
  });
});
