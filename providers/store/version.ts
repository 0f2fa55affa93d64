// Version numbers: whole numbers from 1 to MAX_VERSION (2^53 - 1, the largest integer a JS number
// holds exactly), wherever one is read: the KV version key, SQL rows, admin parameters, CLI
// arguments. Past 2^53, n + 1 === n: a store that let one in would pick a version it already has
// and fail every later write on the primary key. 0 means "nothing stored" (If-Match "0").
import type { Result } from "../../worker/go/result.ts";

export const MAX_VERSION = Number.MAX_SAFE_INTEGER;

/**
 * How far above the store's own newest version a version found in KV (published by hand, e.g.
 * `switchyard push --kv`) may be for the store to continue after it. Farther is not a hand push
 * but a typo or garbage: the store goes on from its own history and says so in a warning.
 */
export const MAX_KV_VERSION_LEAD = 1_000_000;

/** A stored or published version: a safe integer >= 1. */
export function isVersion(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 1 && value <= MAX_VERSION;
}

/** A version a client names (If-Match, ?version=, rollback's body, CLI args); `zero` allows 0. */
export function parseVersion(text: string, what: string, zero = false): Result<number, string> {
  const trimmed = text.trim();
  const n = /^\d{1,20}$/.test(trimmed) ? Number(trimmed) : NaN;
  if (isVersion(n) || (zero && n === 0 && trimmed !== "")) return { ok: true, value: n };
  const lowest = zero ? 0 : 1;
  return { ok: false, error: `${what} must be a whole number from ${lowest} to ${MAX_VERSION}, got ${JSON.stringify(text.slice(0, 40))}` };
}

/** The same check for a number that arrived as JSON (rollback's `{"version": N}`). */
export function checkVersion(value: unknown, what: string): Result<number, string> {
  if (isVersion(value)) return { ok: true, value };
  const shown = typeof value === "number" ? String(value) : JSON.stringify(value) ?? String(value);
  return { ok: false, error: `${what} must be a whole number from 1 to ${MAX_VERSION}, got ${shown.slice(0, 40)}` };
}

export interface NextVersion {
  readonly version: number | null;
  /** Why a version found in KV was not followed, for the writer's warnings. */
  readonly ignored?: string;
}

/**
 * The version a write gets: one past the store's own newest, or past the version KV names when
 * that one is ahead by a plausible margin (a hand push). Null when the version space is used up.
 */
export function nextVersion(newest: number | null, inKv: unknown): NextVersion {
  const own = newest ?? 0;
  let base = own;
  let ignored: string | undefined;
  if (inKv !== null && inKv !== undefined && inKv !== 0) {
    if (!isVersion(inKv)) ignored = `the KV version key names ${String(inKv).slice(0, 40)}, which is not a version: ignored`;
    else if (inKv - own > MAX_KV_VERSION_LEAD) {
      ignored = `the KV version key names version ${inKv}, more than ${MAX_KV_VERSION_LEAD} above the store's newest (${own}): ignored, the store goes on from its own history`;
    } else base = Math.max(own, inKv);
  }
  const version = base < MAX_VERSION ? base + 1 : null;
  return ignored === undefined ? { version } : { version, ignored };
}
