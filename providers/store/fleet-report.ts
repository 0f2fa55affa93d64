// A fleet report as the config store accepts it: any Worker holding the binding may call the RPC
// method, so the shape is checked and every string bounded before a row is written.
import type { Result } from "../../worker/go/result.ts";
import type { FleetReport } from "./fleet.ts";

const MAX_ID = 100;
const MAX_COLO = 16;
const MAX_SOURCE = 64;
const MAX_SHA = 64;
const MAX_MESSAGE = 1_000;
const MAX_PATH = 300;
const MAX_PATHS = 5;

type Fields = Record<string, unknown>;

export function checkReport(raw: unknown): Result<FleetReport, string> {
  if (!isObject(raw)) return { ok: false, error: "a fleet report must be an object" };
  const { isolate, colo, source, reportIntervalMs, lastPollAt } = raw;
  if (typeof isolate !== "string" || isolate === "") return { ok: false, error: "isolate must be a non-empty string" };
  if (typeof colo !== "string" || typeof source !== "string") return { ok: false, error: "colo and source must be strings" };
  if (!isTime(reportIntervalMs) || reportIntervalMs === 0) return { ok: false, error: "reportIntervalMs must be a positive number" };
  if (lastPollAt !== null && !isTime(lastPollAt)) return { ok: false, error: "lastPollAt must be a time or null" };
  const serving = checkServing(raw.serving);
  if (!serving.ok) return serving;
  const lastError = checkError(raw.lastError);
  if (!lastError.ok) return lastError;
  return {
    ok: true,
    value: {
      isolate: isolate.slice(0, MAX_ID),
      colo: (colo || "local").slice(0, MAX_COLO),
      source: source.slice(0, MAX_SOURCE),
      reportIntervalMs,
      serving: serving.value,
      lastPollAt,
      lastError: lastError.value,
    },
  };
}

function checkServing(raw: unknown): Result<FleetReport["serving"], string> {
  if (raw === null) return { ok: true, value: null };
  if (!isObject(raw) || !isTime(raw.version) || typeof raw.sha256 !== "string" || !isTime(raw.since)) {
    return { ok: false, error: "serving must be null or {version, sha256, since}" };
  }
  return { ok: true, value: { version: raw.version, sha256: raw.sha256.slice(0, MAX_SHA), since: raw.since } };
}

function checkError(raw: unknown): Result<FleetReport["lastError"], string> {
  if (raw === null) return { ok: true, value: null };
  if (!isObject(raw) || !isTime(raw.at) || typeof raw.message !== "string" || (raw.version !== null && !isTime(raw.version)) || !Array.isArray(raw.paths)) {
    return { ok: false, error: "lastError must be null or {at, message, version, paths}" };
  }
  const paths: unknown[] = raw.paths;
  const kept = paths.filter((p) => typeof p === "string").slice(0, MAX_PATHS).map((p) => p.slice(0, MAX_PATH));
  return { ok: true, value: { at: raw.at, message: raw.message.slice(0, MAX_MESSAGE), version: raw.version, paths: kept } };
}

function isObject(value: unknown): value is Fields {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A whole number of ms (or a version) from 0 to 2^53 - 1. */
function isTime(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}
