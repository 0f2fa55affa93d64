// The dashboard's helpers for issue 18's safe changes: the canary and shadow queries from the
// editor's fields, the releases page's figures as text, the Plan requests, the #/releases route.
import { describe, expect, it } from "vitest";
import { CANARY_DEFAULTS, canaryQuery, p99Text, ratioText, routerText, shadowQuery, stepsText } from "../../../dashboard/src/canary.ts";
import { parsePlanRequests } from "../../../dashboard/src/planrequests.ts";
import { parseHash } from "../../../dashboard/src/router.ts";

describe("canaryQuery", () => {
  it("sends the documented defaults as the API reads them", () => {
    const q = canaryQuery(CANARY_DEFAULTS);
    expect(q).toEqual({ ok: true, query: "canary=5&promoteAfter=10m&maxErrorRatio=0.02&maxP99Ratio=1.5&minRequests=500" });
  });

  it("takes a share with %, optional steps and sticky header, and encodes them", () => {
    const q = canaryQuery({ ...CANARY_DEFAULTS, share: " 12.5% ", steps: "25,100", stickyHeader: "X-User" });
    expect(q.ok && new URLSearchParams(q.query).get("canary")).toBe("12.5");
    expect(q.ok && new URLSearchParams(q.query).get("steps")).toBe("25,100");
    expect(q.ok && new URLSearchParams(q.query).get("stickyHeader")).toBe("X-User");
  });

  it("names each bad field by its query parameter", () => {
    const q = canaryQuery({ share: "100", promoteAfter: "", maxErrorRatio: "x", maxP99Ratio: "-1", minRequests: "" });
    expect(q.ok).toBe(false);
    expect(!q.ok && q.errors.map((e) => e.path)).toEqual(["canary", "promoteAfter", "maxErrorRatio", "maxP99Ratio", "minRequests"]);
    expect(canaryQuery({ ...CANARY_DEFAULTS, share: "0" }).ok).toBe(false);
    expect(canaryQuery({ ...CANARY_DEFAULTS, share: "" }).ok).toBe(false);
  });
});

describe("shadowQuery", () => {
  it("is sampleRate above 0 and at most 1", () => {
    expect(shadowQuery("0.05")).toEqual({ ok: true, query: "sampleRate=0.05" });
    expect(shadowQuery("1")).toEqual({ ok: true, query: "sampleRate=1" });
    for (const bad of ["0", "1.5", "", "x", "-0.1"]) expect(shadowQuery(bad)).toMatchObject({ ok: false, errors: [{ path: "sampleRate" }] });
  });
});

describe("figures as text", () => {
  it("shows ratios as percents, p99 bucket bounds, 404 for no router, the steps", () => {
    expect(ratioText(0.00033)).toBe("0.03 %");
    expect(ratioText(1)).toBe("100.00 %");
    expect(ratioText(null)).toBe("–");
    expect(p99Text(50)).toBe("50 ms");
    expect(p99Text(2500)).toBe("2.5 s");
    expect(p99Text("+Inf")).toBe("> 10 s");
    expect(p99Text(null)).toBe("–");
    expect(routerText(null)).toBe("404");
    expect(routerText("api")).toBe("api");
    expect(stepsText(5, [25, 50, 100])).toBe("5 % now, then 25 %, 50 %, 100 %");
    expect(stepsText(100, [])).toBe("100 % (last step)");
  });
});

describe("parsePlanRequests", () => {
  it("reads URLs and JSON objects, one per line, skipping blanks", () => {
    const { requests, errors } = parsePlanRequests('https://a.com/x\n\n{"method": "POST", "url": "https://a.com/y", "headers": {"X-A": "1"}}\n');
    expect(errors).toEqual([]);
    expect(requests).toEqual([
      { method: "GET", url: "https://a.com/x" },
      { method: "POST", url: "https://a.com/y", headers: { "X-A": "1" } },
    ]);
  });

  it("names each bad line", () => {
    const { requests, errors } = parsePlanRequests('/relative\n{"url": 1}\n{nope\n{"url": "https://a.com", "headers": {"X": 1}}\n{"url": "https://a.com", "method": 2}');
    expect(requests).toEqual([]);
    expect(errors).toEqual([
      "line 1: expected a JSON object or an absolute URL",
      'line 2: "url" must be an absolute URL',
      "line 3: not JSON",
      'line 4: "headers" must be an object of strings',
      'line 5: "method" must be a string',
    ]);
  });
});

describe("#/releases", () => {
  it("is a page", () => {
    expect(parseHash("#/releases")).toEqual({ view: "releases" });
  });
});
