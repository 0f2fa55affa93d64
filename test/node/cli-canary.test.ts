// The CLI's canary and preview commands without a router: usage errors exit 2 before anything is
// sent, and the push flags become the PUT query (canaryParams).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canaryParams } from "../../cli/commands/canary-flags.ts";
import { runCli as run } from "./helpers/cli.ts";

beforeAll(() => void (process.env.SWITCHYARD_TOKEN = "unused"));
afterAll(() => void delete process.env.SWITCHYARD_TOKEN);

describe("switchyard canary / preview / push --canary", () => {
  it("maps the push flags to the query, a trailing % dropped", () => {
    expect(canaryParams({})).toBeNull();
    expect(String(canaryParams({ canary: "5%", "promote-after": "2m", "max-error-ratio": "0.01", "max-p99-ratio": "2", "min-requests": "200", steps: "25,100", "sticky-header": "X-User" })))
      .toBe("canary=5&promoteAfter=2m&maxErrorRatio=0.01&maxP99Ratio=2&minRequests=200&steps=25%2C100&stickyHeader=X-User");
  });

  it("usage errors exit 2 and name the problem", async () => {
    const cases: [string[], RegExp][] = [
      [["push", "x.yaml", "--min-requests", "5"], /--min-requests needs --canary PERCENT/],
      [["push", "x.yaml", "--canary", "5", "--kv"], /cannot be used with --kv/],
      [["canary", "sideways"], /canary needs status, promote or abort/],
      [["canary"], /canary needs status, promote or abort/],
      [["preview"], /VERSION is required/],
      [["preview", "0"], /VERSION must be a whole number from 1/],
    ];
    for (const [argv, message] of cases) {
      const r = await run(...argv);
      expect(r.code, argv.join(" ")).toBe(2);
      expect(r.err, argv.join(" ")).toMatch(message);
    }
  });

  it("the usage lists the commands", async () => {
    const r = await run("help");
    expect(r.out).toMatch(/push FILE --canary PERCENT/);
    expect(r.out).toMatch(/canary status\|promote\|abort/);
    expect(r.out).toMatch(/preview VERSION \[--ttl 1h\]/);
  });
});
