// Ports Go's time.ParseDuration (behind paerser's types.Duration, as Traefik reads durations: a bare
// integer is a number of seconds, anything else a Go duration string such as "1m30s") and
// time.Duration.String.
import type { Result } from "./result.ts";

export type Duration = string | number;

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  "µs": 1e-3, // U+00B5 micro sign
  "μs": 1e-3, // U+03BC greek mu
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const INTEGER = /^[-+]?\d+$/;
const GO_PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

/** Milliseconds of a Go duration string (without the bare-integer rule), or null when invalid. */
function parseGoDuration(text: string): number | null {
  let rest = text;
  let sign = 1;
  if (rest.startsWith("-") || rest.startsWith("+")) {
    sign = rest.startsWith("-") ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === "0") return 0;
  if (rest === "") return null;
  let total = 0;
  GO_PART.lastIndex = 0;
  while (GO_PART.lastIndex < rest.length) {
    const match = GO_PART.exec(rest);
    if (!match) return null;
    total += Number(match[1]) * (UNIT_MS[match[2] ?? ""] ?? NaN);
  }
  return Number.isFinite(total) ? sign * total : null;
}

/** Validates a duration; the value is in milliseconds (may be fractional or negative). */
export function parseDuration(value: unknown): Result<number, string> {
  if (typeof value === "number") {
    if (Number.isInteger(value)) return { ok: true, value: value * 1000 };
    return { ok: false, error: `a bare number is a count of seconds and must be an integer; write "${value}s"` };
  }
  if (typeof value !== "string") return { ok: false, error: "expected a duration such as \"10s\" or a number of seconds" };
  const text = value.trim();
  if (INTEGER.test(text)) return { ok: true, value: Number(text) * 1000 };
  const ms = parseGoDuration(text);
  if (ms === null) {
    return { ok: false, error: `invalid duration "${value}": use a Go duration such as "10s", "1m30s", "100ms", or a whole number of seconds` };
  }
  return { ok: true, value: ms };
}

/** Milliseconds of a duration that passed validation. Throws on an invalid one. */
export function durationMs(value: Duration): number {
  const parsed = parseDuration(value);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}

/** Milliseconds of a duration that passed validation, or `fallback` when it is absent, zero or negative. */
export function positiveMs(value: Duration | undefined, fallback: number): number {
  const ms = value === undefined ? fallback : durationMs(value);
  return ms > 0 ? ms : fallback;
}

// Go's time.Duration.String(), for the X-Retry-In header Traefik's rateLimit sends: "1.5s", "250ms", "1m0s".
/** Format a whole number of nanoseconds as Go does. */
export function formatGoDuration(ns: number): string {
  const n = Math.trunc(ns);
  if (n === 0) return "0s";
  const sign = n < 0 ? "-" : "";
  const u = Math.abs(n);
  if (u < 1_000) return `${sign}${u}ns`;
  if (u < 1_000_000) return `${sign}${fraction(u, 3)}µs`;
  if (u < 1_000_000_000) return `${sign}${fraction(u, 6)}ms`;
  const hours = Math.floor(u / 3_600_000_000_000);
  const minutes = Math.floor((u % 3_600_000_000_000) / 60_000_000_000);
  const seconds = fraction(u % 60_000_000_000, 9);
  if (hours > 0) return `${sign}${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${sign}${minutes}m${seconds}s`;
  return `${sign}${seconds}s`;
}

/** value / 10^digits with the fraction's trailing zeros dropped (and the point, if nothing is left). */
function fraction(value: number, digits: number): string {
  const scale = 10 ** digits;
  const whole = Math.floor(value / scale);
  const frac = String(value % scale).padStart(digits, "0").replace(/0+$/, "");
  return frac === "" ? String(whole) : `${whole}.${frac}`;
}
