// Durations as Traefik reads them (paerser's types.Duration): a bare integer is a number of
// seconds, anything else is a Go duration string ("10s", "1m30s", "100ms", "-1.5h").
import type { Result } from "./issues.ts";

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
