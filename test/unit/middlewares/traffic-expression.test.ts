// Traefik's condition language (circuitBreaker.expression, buffering.retryExpression): what it
// accepts and how it evaluates, what it refuses (with the position), and validation reporting it.
import { describe, expect, it } from "vitest";
import { validateConfig } from "../../../worker/config/index.ts";
import { retryFunctions, type AttemptView } from "../../../worker/middlewares/buffering/retry-expression.ts";
import { breakerFunctions, type BreakerView } from "../../../worker/middlewares/circuitbreaker/functions.ts";
import { Metrics } from "../../../worker/middlewares/circuitbreaker/metrics.ts";
import { parseExpression } from "../../../worker/middlewares/traffic/expression.ts";

function view(records: [status: number, latencyMs: number][]): BreakerView {
  const metrics = new Metrics();
  for (const [status, latency] of records) metrics.record(1_000_000, status, latency);
  return { metrics, now: 1_000_000 };
}

function breaker(expression: string, records: [number, number][]): boolean {
  const parsed = parseExpression(expression, breakerFunctions);
  if (!parsed.ok) throw new Error(`${parsed.position}: ${parsed.message}`);
  return parsed.predicate(view(records));
}

function retry(expression: string, attempt: AttemptView): boolean {
  const parsed = parseExpression(expression, retryFunctions);
  if (!parsed.ok) throw new Error(`${parsed.position}: ${parsed.message}`);
  return parsed.predicate(attempt);
}

const failing: [number, number][] = [[502, 10], [504, 10], [200, 10], [500, 10]];

describe("circuitBreaker expressions that Traefik accepts", () => {
  it.each([
    ["NetworkErrorRatio() > 0.30", failing, true],
    ["NetworkErrorRatio() > 0.5", failing, false],
    ["NetworkErrorRatio() >= 0.5", failing, true],
    ["NetworkErrorRatio() == 0.5", failing, true],
    ["NetworkErrorRatio() != 0.5", failing, false],
    ["NetworkErrorRatio() < 0.5", failing, false],
    ["NetworkErrorRatio() <= 0.5", failing, true],
    ["ResponseCodeRatio(500, 600, 0, 600) > 0.5", failing, true],
    ["ResponseCodeRatio(500, 600, 0, 600) > 0.75", failing, false],
    // The ranges are [from, to): 504 is outside [500, 504).
    ["ResponseCodeRatio(500, 504, 0, 600) == 0.5", failing, true],
    // Nothing in the divisor's range: the ratio is 0.
    ["ResponseCodeRatio(500, 600, 300, 400) == 0.0", failing, true],
    ["LatencyAtQuantileMS(50.0) > 100", [[200, 150], [200, 150], [200, 20]], true],
    ["LatencyAtQuantileMS(50.0) > 100", [[200, 150], [200, 20], [200, 20]], false],
    ["LatencyAtQuantileMS(99.9) >= 150", [[200, 150], [200, 20], [200, 20]], true],
    ["LatencyAtQuantileMS(50.0) == 0", [], true],
    ["NetworkErrorRatio() > 0.9 || ResponseCodeRatio(500, 600, 0, 600) > 0.5", failing, true],
    ["NetworkErrorRatio() > 0.9 && ResponseCodeRatio(500, 600, 0, 600) > 0.5", failing, false],
    ["(NetworkErrorRatio() > 0.9 || NetworkErrorRatio() < 0.6) && LatencyAtQuantileMS(50.0) < 50", failing, true],
    ["NetworkErrorRatio() > 0.9 || NetworkErrorRatio() < 0.6 && LatencyAtQuantileMS(50.0) > 50", failing, false],
    ["NetworkErrorRatio() > 1e-1", failing, true],
    ["NetworkErrorRatio() > .3", failing, true],
    ["  NetworkErrorRatio()>0.3  ", failing, true],
  ] as [string, [number, number][], boolean][])("%s", (expression, records, expected) => {
    expect(breaker(expression, records)).toBe(expected);
  });
});

// oxy cbreaker/predicates_test.go TestTripped (vulcand/oxy, the expressions Traefik's circuitBreaker
// parses). Its stats helpers, as records: statsNetErrors(0.6) is 60 network errors (504) in 100
// answers; statsLatencyAtQuantile(50, 51ms) one answer that took 51 ms; statsResponseCodes as counted.
describe("oxy cbreaker/predicates_test.go TestTripped", () => {
  const netErrors = (ratio: number): [number, number][] => Array.from({ length: 100 }, (_, i) => [i < ratio * 100 ? 504 : 200, 0]);
  const latency = (ms: number): [number, number][] => [[200, ms]];
  const codes = (...counts: [number, number][]): [number, number][] => counts.flatMap(([code, n]) => Array.from({ length: n }, () => [code, 0] as [number, number]));
  it.each([
    ["NetworkErrorRatio() > 0.5", netErrors(0.6), true],
    ["NetworkErrorRatio() < 0.5", netErrors(0.6), false],
    ["LatencyAtQuantileMS(50.0) > 50", latency(51), true],
    ["LatencyAtQuantileMS(50.0) < 50", latency(51), false],
    ["ResponseCodeRatio(500, 600, 0, 600) > 0.5", codes([200, 5], [500, 6]), true],
    ["ResponseCodeRatio(500, 600, 0, 600) > 0.5", codes([200, 5], [500, 4]), false],
    ["LatencyAtQuantileMS(40.0) > 50", netErrors(0.6), false], // quantile not defined
  ] as [string, [number, number][], boolean][])("%s", (expression, records, expected) => {
    expect(breaker(expression, records)).toBe(expected);
  });
});

describe("circuitBreaker expressions that Traefik refuses, with the position", () => {
  it.each([
    ["", 0, /expected a function call/],
    ["NetworkErrorRatio() > 1", 22, /a decimal number/],
    ["LatencyAtQuantileMS(50) > 100", 20, /argument 1 of LatencyAtQuantileMS must be a decimal number/],
    ["LatencyAtQuantileMS(50.0) > 100.5", 28, /an integer/],
    ["0.5 < NetworkErrorRatio()", 0, /function on the left.*NetworkErrorRatio\(\) > 0\.5/],
    ["NetworkErrorRatio()", 0, /not a condition/],
    ["NetworkErrorRatio() > 0.5 && 0.3", 29, /not one/],
    ["NetworkErrorRatio() > NetworkErrorRatio()", 22, /constant/],
    ["NetworkErorRatio() > 0.5", 0, /unknown function NetworkErorRatio \(did you mean NetworkErrorRatio\?\)/],
    ["ResponseCodeRatio(500, 600) > 0.5", 26, /takes 4 arguments/],
    ["NetworkErrorRatio(1) > 0.5", 18, /takes no arguments/],
    ["NetworkErrorRatio() > 0.5 &&", 28, /end of expression/],
    ["(NetworkErrorRatio() > 0.5", 26, /expected \) to close/],
    ["NetworkErrorRatio() > 0.5)", 25, /unexpected "\)"/],
    ["!(NetworkErrorRatio() > 0.5)", 0, /\(not\) is not supported/],
    ["NetworkErrorRatio() > -0.5", 22, /no negative constants/],
    ["NetworkErrorRatio() & NetworkErrorRatio()", 20, /did you mean "&&"/],
    ["NetworkErrorRatio() > 0.1 > 0.2", 26, /cannot be chained/],
    ["NetworkErrorRatio > 0.5", 18, /is a function/],
    ["NetworkErrorRatio() > 0x1", 22, /invalid number/],
    ["NetworkErrorRatio() > 0.5 0.6", 26, /expected && or \|\|/],
  ] as [string, number, RegExp][])("%j", (expression, position, message) => {
    const parsed = parseExpression(expression, breakerFunctions);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.message).toMatch(message);
    expect(parsed.position).toBe(position);
  });
});

describe("buffering retryExpression (oxy's buffer functions)", () => {
  const attempt = (n: number, status: number, method = "GET"): AttemptView => ({ attempt: n, status, method });

  it.each([
    ["IsNetworkError() && Attempts() <= 2", attempt(1, 502), true],
    ["IsNetworkError() && Attempts() <= 2", attempt(2, 504), true],
    ["IsNetworkError() && Attempts() <= 2", attempt(3, 502), false],
    ["IsNetworkError() && Attempts() <= 2", attempt(1, 503), false],
    ["Attempts() <= 2 && ResponseCode() == 503", attempt(1, 503), true],
    ["Attempts() < 2 && ResponseCode() >= 500", attempt(2, 500), false],
    [`RequestMethod() == "GET" && ResponseCode() == 503`, attempt(1, 503), true],
    [`RequestMethod() != "GET" && ResponseCode() == 503`, attempt(1, 503), false],
    ["RequestMethod() == `POST`", attempt(1, 200, "POST"), true],
  ] as [string, AttemptView, boolean][])("%s on %j", (expression, at, expected) => {
    expect(retry(expression, at)).toBe(expected);
  });

  it.each([
    [`RequestMethod() > "GET"`, /compare it with == or != only/],
    ["Attempts() <= 2.0", /an integer/],
    ["IsNetworkError() == 1", /is a condition/],
    [`ResponseCode() == "503"`, /an integer/],
    [`RequestMethod() == "G\\qET"`, /unsupported escape/],
    [`RequestMethod() == "GET`, /unterminated string/],
    ["NetworkErrorRatio() > 0.5", /unknown function NetworkErrorRatio: the functions are Attempts\(\), ResponseCode\(\), IsNetworkError\(\), RequestMethod\(\)/],
  ])("refuses %s", (expression, message) => {
    const parsed = parseExpression(expression, retryFunctions);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(message);
  });
});

describe("validation reports bad expressions at their path, with the position", () => {
  function issues(middleware: Record<string, unknown>) {
    const result = validateConfig({ http: { middlewares: { m: middleware } } });
    return result.ok ? [] : result.errors;
  }

  it("circuitBreaker.expression", () => {
    const errors = issues({ circuitBreaker: { expression: "NetworkErrorRatio() > 1" } });
    expect(errors).toHaveLength(1);
    expect(errors[0]?.path).toBe("http.middlewares.m.circuitBreaker.expression");
    expect(errors[0]?.message).toMatch(/^invalid expression at position 22: .*decimal number/);
  });

  it("buffering.retryExpression", () => {
    const errors = issues({ buffering: { retryExpression: "Attempts() <= 2 &&& IsNetworkError()" } });
    expect(errors[0]?.path).toBe("http.middlewares.m.buffering.retryExpression");
    expect(errors[0]?.message).toMatch(/^invalid expression at position 18: /);
  });

  it("a valid expression passes", () => {
    expect(issues({ circuitBreaker: { expression: "LatencyAtQuantileMS(50.0) > 100" } })).toEqual([]);
    expect(issues({ buffering: { retryExpression: "IsNetworkError() && Attempts() <= 2" } })).toEqual([]);
  });

  it("buffering sizes a Worker handles differently are warned about, never silently changed", () => {
    const result = validateConfig({ http: { middlewares: { m: { buffering: { maxRequestBodyBytes: 100 * 1024 * 1024, memRequestBodyBytes: 1024 } } } } });
    expect(result.ok).toBe(true);
    const paths = result.warnings.map((w) => w.path);
    expect(paths).toContain("http.middlewares.m.buffering.maxRequestBodyBytes");
    expect(paths).toContain("http.middlewares.m.buffering.memRequestBodyBytes");
  });
});
